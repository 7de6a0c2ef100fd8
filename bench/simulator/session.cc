// SimulateVisitor (simulation.h): one visitor's sessions over HTTP.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "bench/simulator/pool_recall.h"
#include "bench/simulator/rng.h"
#include "bench/simulator/server_api.h"
#include "bench/simulator/shopper.h"
#include "bench/simulator/simulation.h"
#include "ranking/profiles/profile.h"

namespace tailor::simulator {
namespace {

// Names of the random streams, so that no two purposes share draws.
constexpr uint64_t kSessionStream = 0x73657373;    // "sess"
constexpr uint64_t kQueryStream = 0x71756572;      // "quer"
constexpr uint64_t kBehaviourStream = 0x62656861;  // "beha"
constexpr uint64_t kPurchaseStream = 0x70757263;   // "purc"
constexpr uint64_t kLengthStream = 0x6c656e67;     // "leng"
constexpr uint64_t kPoolStream = 0x706f6f6c;       // "pool"
constexpr int kNdcgDepth = 10;
// Searches a one-click visitor makes at most to find the one item they click.
constexpr int kOneClickTries = 5;

// An event waiting to be posted.
struct PendingEvent {
  std::string_view type;
  size_t item = 0;
  std::string query;  // click only
  int position = -1;  // click only
  std::string request_id;
  std::optional<std::string> size;  // add_to_cart and purchase of sized items
};

// An item put into the cart, bought or not at the session's end.
struct CartLine {
  size_t item = 0;
  std::string request_id;
  std::string size;
  double utility = 0;
};

// What one visitor carries from search to search.
struct VisitorState {
  const Catalog& catalog;
  const SimulationOptions& options;
  Visitor visitor;
  std::string id;
  Transport& transport;
  std::set<std::string> known_size_systems;  // told to the server by a sized add_to_cart
  std::set<size_t> bought;
  SimulationStats stats;
};

// How a visitor's history is laid out, drawn per visitor within the world's ranges.
struct Plan {
  int sessions = 1;
  int searches = 1;
  bool one_click = false;
};

// Which of the per-session NDCG sums a scored page also goes to.
struct PageRole {
  bool first_session = false;
  bool last_session = false;
  bool one_click_measured = false;
};

// What the visitor does with a page: everything, or (one-click history) the first click
// and nothing more.
enum class BrowseMode { kFull, kFirstClickOnly };

Plan DrawPlan(const World& world, uint64_t seed, int index) {
  Rng rng(StreamSeed({seed, static_cast<uint64_t>(index), kLengthStream}));
  Plan plan;
  plan.one_click = rng.Bernoulli(world.one_click_share);
  plan.sessions = rng.Between(world.min_sessions, std::max(world.min_sessions, world.max_sessions));
  plan.searches = rng.Between(world.min_searches, std::max(world.min_searches, world.max_searches));
  return plan;
}

std::string EventsJson(const VisitorState& state, const std::vector<PendingEvent>& events) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("events");
  writer.StartArray();
  for (const PendingEvent& event : events) {
    writer.StartObject();
    writer.Key("type");
    writer.String(event.type.data(), static_cast<rapidjson::SizeType>(event.type.size()));
    writer.Key("visitor");
    writer.String(state.id);
    writer.Key("item");
    writer.String(state.catalog.products[event.item].id);
    if (event.type == "click") {
      writer.Key("query");
      writer.String(event.query);
      writer.Key("position");
      writer.Int(event.position);
    }
    writer.Key("request_id");
    writer.String(event.request_id);
    if (event.size && !event.size->empty()) {
      writer.Key("size");
      writer.String(*event.size);
    }
    if (event.type == "add_to_cart" || event.type == "purchase") {
      writer.Key("quantity");
      writer.Int(1);
    }
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return buffer.GetString();
}

Status PostEvents(VisitorState& state, const std::vector<PendingEvent>& events) {
  if (events.empty()) return Status::Ok();
  Result<rapidjson::Document> answer =
      Exchange(state.transport, "POST", "/events", EventsJson(state, events));
  if (!answer.ok()) return answer.error();
  auto accepted = answer->FindMember("accepted");
  if (accepted == answer->MemberEnd() || !accepted->value.IsInt()) {
    return Error::Unavailable("POST /events: answer has no \"accepted\" count");
  }
  state.stats.events_accepted += accepted->value.GetInt();
  for (const PendingEvent& event : events) {
    if (event.type == "add_to_cart" && event.size && !event.size->empty()) {
      state.known_size_systems.insert(std::string(ranking::SizeSystemOf(*event.size)));
    }
  }
  return Status::Ok();
}

struct ServedPage {
  std::string request_id;
  std::vector<long> items;  // product indices, -1 for ids not in the catalog
};

Result<ServedPage> Search(VisitorState& state, const Query& query) {
  std::string target = "/search?q=" + UrlEncode(query.text) + "&visitor=" + UrlEncode(state.id) +
                       "&limit=" + std::to_string(state.options.limit);
  if (!state.options.variant.empty()) target += "&variant=" + UrlEncode(state.options.variant);
  Result<rapidjson::Document> answer = Exchange(state.transport, "GET", target, "");
  if (!answer.ok()) return answer.error();
  auto request_id = answer->FindMember("request_id");
  if (request_id == answer->MemberEnd() || !request_id->value.IsString()) {
    return Error::Unavailable("GET " + target + ": answer lacks request_id");
  }
  Result<std::vector<AnsweredHit>> hits = HitsOf(state.catalog, *answer, "GET " + target);
  if (!hits.ok()) return hits.error();
  ServedPage page;
  page.request_id = request_id->value.GetString();
  for (const AnsweredHit& hit : *hits) page.items.push_back(hit.item);
  return page;
}

// Ground truth and size statistics of one served page.
void ScorePage(VisitorState& state, const Query& query, const ServedPage& page, PageRole role) {
  SimulationStats& stats = state.stats;
  ++stats.searches;
  stats.hits_shown += static_cast<long>(page.items.size());
  const double ndcg = TrueNdcgAtK(state.catalog, state.options.world, state.visitor,
                                  state.options.seed, query, page.items, kNdcgDepth);
  if (ndcg >= 0) {
    stats.ndcg_sum += ndcg;
    ++stats.ndcg_searches;
    if (role.first_session) {
      stats.first_session_ndcg_sum += ndcg;
      ++stats.first_session_ndcg_searches;
    }
    if (role.last_session) {
      stats.last_session_ndcg_sum += ndcg;
      ++stats.last_session_ndcg_searches;
    }
    if (role.one_click_measured) {
      stats.one_click_ndcg_sum += ndcg;
      ++stats.one_click_ndcg_searches;
    }
  }
  const size_t depth = std::min<size_t>(page.items.size(), kNdcgDepth);
  long misses_so_far = 0;
  for (size_t rank = 0; rank < depth; ++rank) {
    if (page.items[rank] < 0) continue;
    const CatalogItem& item = state.catalog.items[page.items[rank]];
    const bool known = std::any_of(
        item.size_systems.begin(), item.size_systems.end(),
        [&](const std::string& system) { return state.known_size_systems.count(system) > 0; });
    if (!item.sized || !known) continue;
    ++stats.known_size_hits;
    if (!SizeToBuy(state.catalog, state.visitor, page.items[rank])) {
      ++stats.known_size_misses;
      ++misses_so_far;
    } else {
      // Every miss above this fitting hit was ranked above an item in the visitor's size.
      stats.known_size_misses_above_fit += misses_so_far;
      misses_so_far = 0;
    }
  }
}

// The visitor scans the page (World::click_model): examines, clicks, puts into the cart.
// Items clicked count as viewed from the next search on.
std::vector<PendingEvent> Browse(VisitorState& state, const Query& query, const ServedPage& page,
                                 Rng& rng, std::vector<CartLine>& cart, BrowseMode mode) {
  std::vector<PendingEvent> events;
  std::vector<size_t> viewed;
  PageScan scan(state.options.world);
  for (size_t position = 0; position < page.items.size() && !scan.stopped(); ++position) {
    const double examine_draw = rng.Uniform();
    const double click_draw = rng.Uniform();
    const double cart_draw = rng.Uniform();
    if (!scan.Examines(static_cast<int>(position), examine_draw)) continue;
    const long item = page.items[position];
    if (item < 0 || state.bought.count(item) > 0) {
      scan.After(false, examine_draw);
      continue;
    }
    const size_t index = static_cast<size_t>(item);
    const double utility =
        Utility(state.catalog, state.options.world, state.visitor, state.options.seed, index);
    const bool clicked = click_draw < ClickProbability(utility);
    scan.After(clicked, examine_draw);
    if (!clicked) continue;
    ++state.stats.clicks;
    viewed.push_back(index);
    events.push_back({"view", index, "", -1, page.request_id, std::nullopt});
    events.push_back(
        {"click", index, query.text, static_cast<int>(position), page.request_id, std::nullopt});
    if (mode == BrowseMode::kFirstClickOnly) break;
    std::optional<std::string> size = SizeToBuy(state.catalog, state.visitor, index);
    const bool in_cart = std::any_of(cart.begin(), cart.end(),
                                     [&](const CartLine& line) { return line.item == index; });
    if (!size || in_cart || cart_draw >= CartProbability(utility)) continue;
    ++state.stats.carts;
    events.push_back({"add_to_cart", index, "", -1, page.request_id, size});
    cart.push_back({index, page.request_id, *size, utility});
  }
  state.visitor.viewed.insert(viewed.begin(), viewed.end());
  return events;
}

Status Checkout(VisitorState& state, const std::vector<CartLine>& cart, Rng& rng) {
  std::vector<PendingEvent> events;
  for (const CartLine& line : cart) {
    if (!rng.Bernoulli(PurchaseProbability(line.utility))) continue;
    ++state.stats.purchases;
    state.bought.insert(line.item);
    events.push_back({"purchase", line.item, "", -1, line.request_id, line.size});
  }
  return PostEvents(state, events);
}

Status RunSession(VisitorState& state, int session, const Plan& plan) {
  const uint64_t seed = state.options.seed;
  const auto visitor = static_cast<uint64_t>(state.visitor.index);
  const auto session_id = static_cast<uint64_t>(session);
  Rng session_rng(StreamSeed({seed, visitor, session_id, kSessionStream}));
  const int path = PickSessionPath(state.catalog, state.visitor, session_rng);
  const PageRole role{session == 0, session == plan.sessions - 1, false};
  std::vector<CartLine> cart;
  for (int search = 0; search < plan.searches; ++search) {
    const auto search_id = static_cast<uint64_t>(search);
    Rng query_rng(StreamSeed({seed, visitor, session_id, search_id, kQueryStream}));
    const Query query = PickQuery(state.catalog, state.visitor, path, query_rng);
    Result<ServedPage> page = Search(state, query);
    if (!page.ok()) return page.error();
    ScorePage(state, query, *page, role);
    Rng behaviour_rng(StreamSeed({seed, visitor, session_id, search_id, kBehaviourStream}));
    Status posted =
        PostEvents(state, Browse(state, query, *page, behaviour_rng, cart, BrowseMode::kFull));
    if (!posted.ok()) return posted;
  }
  Rng purchase_rng(StreamSeed({seed, visitor, session_id, kPurchaseStream}));
  return Checkout(state, cart, purchase_rng);
}

// A one-click visitor: searches of session 0 until the first click (at most kOneClickTries),
// then, when there was one, one measured search of session 1 after which nothing is sent.
Status RunOneClick(VisitorState& state) {
  const uint64_t seed = state.options.seed;
  const auto visitor = static_cast<uint64_t>(state.visitor.index);
  Rng session_rng(StreamSeed({seed, visitor, 0, kSessionStream}));
  const int path = PickSessionPath(state.catalog, state.visitor, session_rng);
  std::vector<CartLine> cart;
  const long clicks_before = state.stats.clicks;
  for (int search = 0; search < kOneClickTries && state.stats.clicks == clicks_before; ++search) {
    const auto search_id = static_cast<uint64_t>(search);
    Rng query_rng(StreamSeed({seed, visitor, 0, search_id, kQueryStream}));
    const Query query = PickQuery(state.catalog, state.visitor, path, query_rng);
    Result<ServedPage> page = Search(state, query);
    if (!page.ok()) return page.error();
    ScorePage(state, query, *page, PageRole{});
    Rng behaviour_rng(StreamSeed({seed, visitor, 0, search_id, kBehaviourStream}));
    Status posted = PostEvents(
        state, Browse(state, query, *page, behaviour_rng, cart, BrowseMode::kFirstClickOnly));
    if (!posted.ok()) return posted;
  }
  if (state.stats.clicks == clicks_before) return Status::Ok();
  ++state.stats.one_click_visitors;
  Rng measured_session_rng(StreamSeed({seed, visitor, 1, kSessionStream}));
  const int measured_path = PickSessionPath(state.catalog, state.visitor, measured_session_rng);
  Rng query_rng(StreamSeed({seed, visitor, 1, 0, kQueryStream}));
  const Query query = PickQuery(state.catalog, state.visitor, measured_path, query_rng);
  Result<ServedPage> page = Search(state, query);
  if (!page.ok()) return page.error();
  ScorePage(state, query, *page, PageRole{false, false, true});
  return Status::Ok();
}

// The visitor's share of options.pool_recall, each a broad query of its own stream.
Status MeasurePools(VisitorState& state) {
  const int visitors = std::max(1, state.options.visitors);
  const int index = state.visitor.index;
  const int count =
      state.options.pool_recall / visitors + (index < state.options.pool_recall % visitors ? 1 : 0);
  for (int k = 0; k < count; ++k) {
    Rng rng(StreamSeed(
        {state.options.seed, static_cast<uint64_t>(index), static_cast<uint64_t>(k), kPoolStream}));
    std::optional<Query> query = PickBroadQuery(state.catalog, state.visitor, rng);
    if (!query) return Status::Ok();
    Status measured = MeasurePool(state.catalog, state.options, state.visitor, state.id, *query,
                                  state.transport, state.stats);
    if (!measured.ok()) return measured;
  }
  return Status::Ok();
}

}  // namespace

Result<SimulationStats> SimulateVisitor(const Catalog& catalog, const SimulationOptions& options,
                                        int index, Transport& transport) {
  VisitorState state{catalog,
                     options,
                     MakeVisitor(catalog, options.world, options.seed, index),
                     VisitorId(options, index),
                     transport,
                     {},
                     {},
                     {}};
  const Plan plan = DrawPlan(options.world, options.seed, index);
  if (plan.one_click) {
    Status status = RunOneClick(state);
    if (!status.ok()) return status.error();
  } else {
    for (int session = 0; session < plan.sessions; ++session) {
      Status status = RunSession(state, session, plan);
      if (!status.ok()) return status.error();
    }
  }
  Status measured = MeasurePools(state);
  if (!measured.ok()) return measured.error();
  return state.stats;
}

}  // namespace tailor::simulator
