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

#include "bench/simulator/rng.h"
#include "bench/simulator/shopper.h"
#include "bench/simulator/simulation.h"
#include "ranking/profile.h"

namespace tailor::simulator {
namespace {

// Names of the random streams, so that no two purposes share draws.
constexpr uint64_t kSessionStream = 0x73657373;    // "sess"
constexpr uint64_t kQueryStream = 0x71756572;      // "quer"
constexpr uint64_t kBehaviourStream = 0x62656861;  // "beha"
constexpr uint64_t kPurchaseStream = 0x70757263;   // "purc"
constexpr int kNdcgDepth = 10;

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

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// The answer's body on one line and not too long, for an error message.
std::string OneLine(std::string_view body) {
  std::string out(body.substr(0, 500));
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

Result<rapidjson::Document> Exchange(VisitorState& state, std::string_view method,
                                     const std::string& target, const std::string& body) {
  Result<HttpAnswer> answer = state.transport.Send(method, target, body);
  if (!answer.ok()) return answer.error();
  const std::string where = std::string(method) + " " + target;
  if (answer->status < 200 || answer->status > 299) {
    return Error::Unavailable(where + ": HTTP " + std::to_string(answer->status) + ": " +
                              OneLine(answer->body));
  }
  rapidjson::Document json;
  json.Parse(answer->body.c_str(), answer->body.size());
  if (json.HasParseError() || !json.IsObject()) {
    return Error::Unavailable(where + ": answer is not a JSON object: " + OneLine(answer->body));
  }
  return json;
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
      Exchange(state, "POST", "/events", EventsJson(state, events));
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
  Result<rapidjson::Document> answer = Exchange(state, "GET", target, "");
  if (!answer.ok()) return answer.error();
  auto request_id = answer->FindMember("request_id");
  auto hits = answer->FindMember("hits");
  if (request_id == answer->MemberEnd() || !request_id->value.IsString() ||
      hits == answer->MemberEnd() || !hits->value.IsArray()) {
    return Error::Unavailable("GET " + target + ": answer lacks request_id or hits");
  }
  ServedPage page;
  page.request_id = request_id->value.GetString();
  for (const rapidjson::Value& hit : hits->value.GetArray()) {
    auto id = hit.IsObject() ? hit.FindMember("id") : hit.MemberEnd();
    const bool named = hit.IsObject() && id != hit.MemberEnd() && id->value.IsString();
    page.items.push_back(named ? state.catalog.Find(id->value.GetString()) : -1);
  }
  return page;
}

// Ground truth and size statistics of one served page.
void ScorePage(VisitorState& state, const Query& query, const ServedPage& page, int session) {
  SimulationStats& stats = state.stats;
  ++stats.searches;
  stats.hits_shown += static_cast<long>(page.items.size());
  const double ndcg =
      TrueNdcgAtK(state.catalog, state.visitor, state.options.seed, query, page.items, kNdcgDepth);
  if (ndcg >= 0) {
    stats.ndcg_sum += ndcg;
    ++stats.ndcg_searches;
    if (session == 0) {
      stats.first_session_ndcg_sum += ndcg;
      ++stats.first_session_ndcg_searches;
    }
    if (session == state.options.sessions - 1) {
      stats.last_session_ndcg_sum += ndcg;
      ++stats.last_session_ndcg_searches;
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

// The visitor scans the page: examines, clicks, puts into the cart.
std::vector<PendingEvent> Browse(VisitorState& state, const Query& query, const ServedPage& page,
                                 Rng& rng, std::vector<CartLine>& cart) {
  std::vector<PendingEvent> events;
  for (size_t position = 0; position < page.items.size(); ++position) {
    const bool examined =
        rng.Bernoulli(ExaminationProbability(static_cast<int>(position), state.options.eta));
    const double click_draw = rng.Uniform();
    const double cart_draw = rng.Uniform();
    const long item = page.items[position];
    if (!examined || item < 0 || state.bought.count(item) > 0) continue;
    const size_t index = static_cast<size_t>(item);
    const double utility = Utility(state.catalog, state.visitor, state.options.seed, index);
    if (click_draw >= ClickProbability(utility)) continue;
    ++state.stats.clicks;
    events.push_back({"view", index, "", -1, page.request_id, std::nullopt});
    events.push_back(
        {"click", index, query.text, static_cast<int>(position), page.request_id, std::nullopt});
    std::optional<std::string> size = SizeToBuy(state.catalog, state.visitor, index);
    const bool in_cart = std::any_of(cart.begin(), cart.end(),
                                     [&](const CartLine& line) { return line.item == index; });
    if (!size || in_cart || cart_draw >= CartProbability(utility)) continue;
    ++state.stats.carts;
    events.push_back({"add_to_cart", index, "", -1, page.request_id, size});
    cart.push_back({index, page.request_id, *size, utility});
  }
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

Status RunSession(VisitorState& state, int session) {
  const uint64_t seed = state.options.seed;
  const auto visitor = static_cast<uint64_t>(state.visitor.index);
  const auto session_id = static_cast<uint64_t>(session);
  Rng session_rng(StreamSeed({seed, visitor, session_id, kSessionStream}));
  const int path = PickSessionPath(state.catalog, state.visitor, session_rng);
  std::vector<CartLine> cart;
  for (int search = 0; search < state.options.searches; ++search) {
    const auto search_id = static_cast<uint64_t>(search);
    Rng query_rng(StreamSeed({seed, visitor, session_id, search_id, kQueryStream}));
    const Query query = PickQuery(state.catalog, state.visitor, path, query_rng);
    Result<ServedPage> page = Search(state, query);
    if (!page.ok()) return page.error();
    ScorePage(state, query, *page, session);
    Rng behaviour_rng(StreamSeed({seed, visitor, session_id, search_id, kBehaviourStream}));
    Status posted = PostEvents(state, Browse(state, query, *page, behaviour_rng, cart));
    if (!posted.ok()) return posted;
  }
  Rng purchase_rng(StreamSeed({seed, visitor, session_id, kPurchaseStream}));
  return Checkout(state, cart, purchase_rng);
}

}  // namespace

Result<SimulationStats> SimulateVisitor(const Catalog& catalog, const SimulationOptions& options,
                                        int index, Transport& transport) {
  VisitorState state{catalog,
                     options,
                     MakeVisitor(catalog, options.seed, index),
                     VisitorId(options, index),
                     transport,
                     {},
                     {},
                     {}};
  for (int session = 0; session < options.sessions; ++session) {
    Status status = RunSession(state, session);
    if (!status.ok()) return status.error();
  }
  return state.stats;
}

}  // namespace tailor::simulator
