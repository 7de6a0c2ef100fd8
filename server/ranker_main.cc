// tailor-ranker: the relevance engineer's tool. Trains a model from the logged traffic of a
// state directory, replays logged traffic under scoring variants side by side, and explains
// one logged ranking. It reads the logs only, so it runs beside a serving tailor-server.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "ranking/co_occurrence.h"
#include "ranking/profile_state.h"
#include "ranking/ranker.h"
#include "ranking/replay.h"
#include "ranking/replay_ratios.h"
#include "ranking/trainer.h"
#include "ranking/training_data.h"
#include "searcher/searcher.h"
#include "server/engine.h"

namespace {

using namespace tailor;
using namespace tailor::ranking;

constexpr std::string_view kUsage =
    R"(Usage: tailor-ranker train --state DIR [--state DIR ...] [--replay-state DIR ...] --out FILE
                           [options]
       tailor-ranker eval --state DIR --index DIR --scoring FILE [--scoring FILE ...] [options]
       tailor-ranker explain --state DIR --request-id ID [--scoring FILE [--variant NAME]]
       tailor-ranker recs --train-state DIR --state DIR --index DIR

train    learns a model from the served rankings logged in DIR/rankings joined to the events
         that carry their request_id (purchase 3 > add_to_cart 2 > click or view 1 > shown
         0), with a pairwise loss weighted by inverse propensity of the position shown, L2,
         a validation split of each source's latest queries, early stopping on the
         position-debiased NDCG@10 and the best of several seeds by it; prints NDCG@10
         (plain and debiased) of the logged order and of the model, and writes the model
         file with those validation figures.
  --state DIR         a state directory of served traffic (repeatable)
  --replay-state DIR  one of traffic replayed through the server that no visitor saw: no
                      position-bias correction for it (repeatable)
  --seeds N           training runs, seeds seed..seed+N-1, the best kept (3)
  --kind linear|mlp   (linear)        --hidden N[,M]  hidden layer widths for mlp (16)
  --features a,b,...  features to use (every registry feature)
  --variant NAME      only rankings served by this variant
  --personalized-only only rankings that used a visitor profile
  --epochs N (100)  --patience N (8)  --lr X (0.01)  --l2 X (1e-4)  --eta X (1: position
  bias exponent)  --validation-share X (0.2)  --seed N (1)  --name NAME (default)

eval     replays the logged rankings under each variant of each --scoring file (or those
         named by --variants a,b) against the index's item table: NDCG@10 (plain and
         position-debiased), MRR@10, revenue and margin of the top 10, share of boosted
         items, out-of-size rate, and the queries whose top 10 changed most against the
         first variant; with a "baseline" or "text" variant among them, each variant's
         NDCG@10 (plain and debiased) and MRR@10 as a ratio of theirs.
  --variants a,b      variants to compare, in this order (every variant of every file)
  --last-share X      only the latest X of the rankings (all)
  --personalized-only, --eta X, --top-changed N (10)

recs     hit rate@10 of recommendation slots for the next purchase: co-occurrence learned from
         the events of --train-state; for each purchase in --state after a visitor's first
         cart or purchase, whether also_bought or similar of the item carted or bought just
         before holds it in its top 10 (the candidate source alone, and the slot the
         engine serves an anonymous visitor), against the 10 bestsellers of --train-state.

explain  prints one logged ranking: each item's position, gain, score and features, and
         with --scoring the model's contributions under a variant (the default one).
)";

struct Args {
  std::string command;
  std::map<std::string, std::vector<std::string>> values;
  bool Has(const std::string& key) const { return values.count(key) > 0; }
  std::string Get(const std::string& key, std::string fallback = "") const {
    auto it = values.find(key);
    return it == values.end() ? fallback : it->second.back();
  }
};

int Fail(const std::string& message) {
  std::cerr << "tailor-ranker: " << message << std::endl;
  return 1;
}

Result<Args> ParseArgs(int argc, char** argv) {
  static const std::vector<std::string> kFlags = {"--personalized-only"};
  Args args;
  if (argc < 2) return Error::InvalidArgument("a command is required (train, eval, explain)");
  args.command = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help") {
      args.command = "--help";
      continue;
    }
    if (arg.rfind("--", 0) != 0) return Error::InvalidArgument(arg + ": unexpected argument");
    if (std::find(kFlags.begin(), kFlags.end(), arg) != kFlags.end()) {
      args.values[arg.substr(2)].push_back("true");
      continue;
    }
    if (i + 1 >= argc) return Error::InvalidArgument(arg + ": needs a value");
    args.values[arg.substr(2)].push_back(argv[++i]);
  }
  return args;
}

Result<double> Number(const Args& args, const std::string& key, double fallback) {
  if (!args.Has(key)) return fallback;
  const std::string text = args.Get(key);
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0') {
    return Error::InvalidArgument("--" + key + ": not a number: " + text);
  }
  return value;
}

Status CheckKnown(const Args& args, const std::vector<std::string>& known) {
  for (const auto& [key, value] : args.values) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return Error::InvalidArgument("--" + key + ": unknown flag for " + args.command);
    }
  }
  return Status::Ok();
}

Result<std::vector<JoinedRanking>> ReadLogs(const Args& args, const std::string& state) {
  JoinOptions join;
  join.variant = args.Get("variant");
  join.personalized_only = args.Has("personalized-only");
  std::cerr << "tailor-ranker: reading logs of " << state << std::endl;
  Result<std::vector<JoinedRanking>> rankings = JoinLogs(state, join);
  if (!rankings.ok()) return rankings.error().WithPrefix(state);
  size_t judged = 0;
  for (const JoinedRanking& r : *rankings) judged += r.judged();
  std::cerr << "tailor-ranker: " << rankings->size() << " logged rankings, " << judged
            << " with a click, view, cart or purchase" << std::endl;
  return rankings;
}

// The rankings of every --state, one after the other.
Result<std::vector<JoinedRanking>> ReadLogs(const Args& args) {
  if (!args.Has("state")) return Error::InvalidArgument("--state: required");
  std::vector<JoinedRanking> all;
  for (const std::string& state : args.values.at("state")) {
    Result<std::vector<JoinedRanking>> rankings = ReadLogs(args, state);
    if (!rankings.ok()) return rankings.error();
    std::move(rankings->begin(), rankings->end(), std::back_inserter(all));
  }
  return all;
}

Result<TrainerOptions> TrainOptions(const Args& args) {
  TrainerOptions options;
  const std::string kind = args.Get("kind", "linear");
  if (kind == "mlp") {
    options.kind = ModelKind::kMlp;
  } else if (kind != "linear") {
    return Error::InvalidArgument("--kind: unknown \"" + kind + "\" (linear, mlp)");
  }
  if (args.Has("hidden")) {
    options.hidden_layers.clear();
    for (const std::string& width : Split(args.Get("hidden"), ',')) {
      options.hidden_layers.push_back(std::atoi(width.c_str()));
    }
  }
  if (args.Has("features")) options.features = Split(args.Get("features"), ',');
  options.name = args.Get("name", options.name);
  struct NumberFlag {
    const char* key;
    double* target;
  };
  double epochs = options.max_epochs, patience = options.patience, seed = 1,
         seeds = options.seeds;
  for (NumberFlag flag : {NumberFlag{"lr", &options.learning_rate}, NumberFlag{"l2", &options.l2},
                          NumberFlag{"eta", &options.position_bias_eta},
                          NumberFlag{"validation-share", &options.validation_share},
                          NumberFlag{"epochs", &epochs}, NumberFlag{"patience", &patience},
                          NumberFlag{"seed", &seed}, NumberFlag{"seeds", &seeds}}) {
    Result<double> value = Number(args, flag.key, *flag.target);
    if (!value.ok()) return value.error();
    *flag.target = *value;
  }
  options.max_epochs = static_cast<int>(epochs);
  options.patience = static_cast<int>(patience);
  options.seed = static_cast<uint64_t>(seed);
  options.seeds = static_cast<int>(seeds);
  if (Status valid = ValidateTrainerOptions(options); !valid.ok()) return valid.error();
  return options;
}

// The name a source goes by in the model file: its directory's last component (not the
// machine's path), made unique with "#2", "#3" among the sources.
std::string SourceName(const std::string& dir, const std::vector<TrainingQuery>& so_far) {
  std::string trimmed = dir;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
  const size_t slash = trimmed.find_last_of('/');
  const std::string base = slash == std::string::npos ? trimmed : trimmed.substr(slash + 1);
  std::string name = base.empty() ? dir : base;
  for (int n = 2; std::any_of(so_far.begin(), so_far.end(),
                              [&](const TrainingQuery& q) { return q.source == name; });
       ++n) {
    name = base + "#" + std::to_string(n);
  }
  return name;
}

// The queries of every --state and --replay-state, each marked with its source.
Result<std::vector<TrainingQuery>> TrainingQueries(const Args& args) {
  if (!args.Has("state") && !args.Has("replay-state")) {
    return Error::InvalidArgument("--state: required (or --replay-state)");
  }
  std::vector<TrainingQuery> queries;
  for (const char* flag : {"state", "replay-state"}) {
    if (!args.Has(flag)) continue;
    for (const std::string& dir : args.values.at(flag)) {
      Result<std::vector<JoinedRanking>> rankings = ReadLogs(args, dir);
      if (!rankings.ok()) return rankings.error();
      const std::string source = SourceName(dir, queries);
      for (const JoinedRanking& ranking : *rankings) {
        queries.push_back(ToTrainingQuery(ranking));
        queries.back().source = source;
        queries.back().position_bias = std::string_view(flag) == "state";
      }
    }
  }
  return queries;
}

void PrintTrainReport(const TrainReport& report, const std::string& out) {
  for (const ValidationSource& s : report.sources) {
    std::cout << "source " << s.name << " (" << (s.replay ? "replayed, no position bias" : "served")
              << "): " << s.train_queries << " train, " << s.validation_queries
              << " validation queries from " << s.validation_from_ms << ", " << s.skipped_queries
              << " skipped\n";
  }
  std::cout << "train queries " << report.train_queries << ", validation queries "
            << report.validation_queries << " (skipped without a judgment: "
            << report.skipped_queries << "), validation pairs " << report.validation_pairs
            << "\nvalidation debiased NDCG@10 (ipw): logged order "
            << report.logged_validation_debiased_ndcg10 << " -> model "
            << report.validation_debiased_ndcg10
            << "\nvalidation NDCG@10: logged order " << report.logged_validation_ndcg10
            << " -> model " << report.validation_ndcg10 << " (train " << report.train_ndcg10
            << ", best epoch " << report.best_epoch << " of " << report.epochs_run << ")"
            << "\nseeds (validation debiased NDCG@10):";
  for (const ValidationSeed& seed : report.seeds) {
    std::cout << " " << seed.seed << " " << seed.debiased_ndcg10
              << (seed.seed == report.seed ? " (kept)" : "");
  }
  std::cout << "\nwrote " << out << std::endl;
}

int Train(const Args& args) {
  if (Status known = CheckKnown(args, {"state", "replay-state", "out", "kind", "hidden",
                                       "features", "variant", "personalized-only", "epochs",
                                       "patience", "lr", "l2", "eta", "validation-share", "seed",
                                       "seeds", "name"});
      !known.ok()) {
    return Fail(known.error().message);
  }
  if (!args.Has("out")) return Fail("--out: required (the model file to write)");
  Result<TrainerOptions> options = TrainOptions(args);
  if (!options.ok()) return Fail(options.error().message);
  Result<std::vector<TrainingQuery>> queries = TrainingQueries(args);
  if (!queries.ok()) return Fail(queries.error().message);
  Result<TrainReport> report = ranking::Train(*queries, *options, [](std::string_view line) {
    std::cerr << "tailor-ranker: " << line << std::endl;
  });
  if (!report.ok()) return Fail(report.error().message);
  if (Status saved = report->model->Save(args.Get("out")); !saved.ok()) {
    return Fail(saved.error().message);
  }
  PrintTrainReport(*report, args.Get("out"));
  return 0;
}

int Eval(const Args& args) {
  if (Status known = CheckKnown(args, {"state", "index", "scoring", "variants", "last-share",
                                       "personalized-only", "eta", "top-changed"});
      !known.ok()) {
    return Fail(known.error().message);
  }
  if (!args.Has("index")) return Fail("--index: required (the item table rules apply to)");
  if (!args.Has("scoring")) return Fail("--scoring: required (one or more config files)");
  std::vector<std::shared_ptr<const Scoring>> scorings;
  for (const std::string& path : args.values.at("scoring")) {
    Result<std::shared_ptr<const Scoring>> scoring = Scoring::Load(path);
    if (!scoring.ok()) return Fail(scoring.error().message);
    scorings.push_back(*scoring);
  }
  std::vector<ReplayVariant> variants;
  const bool many_files = scorings.size() > 1;
  for (size_t i = 0; i < scorings.size(); ++i) {
    for (const VariantConfig& variant : scorings[i]->config().variants()) {
      std::string label = many_files ? std::to_string(i + 1) + ":" + variant.name : variant.name;
      variants.push_back({label, scorings[i].get(), &variant});
    }
  }
  if (args.Has("variants")) {
    std::vector<ReplayVariant> chosen;
    for (const std::string& name : Split(args.Get("variants"), ',')) {
      auto it = std::find_if(variants.begin(), variants.end(),
                             [&](const ReplayVariant& v) { return v.label == name; });
      if (it == variants.end()) return Fail("--variants: no variant \"" + name + "\"");
      chosen.push_back(*it);
    }
    variants = chosen;
  }
  Result<std::unique_ptr<searcher::Searcher>> searcher =
      searcher::Searcher::Open(args.Get("index"), searcher::SearcherOptions{});
  if (!searcher.ok()) return Fail(searcher.error().WithPrefix("index " + args.Get("index")).message);
  std::shared_ptr<const ItemTable> items = (*searcher)->Items();
  if (items == nullptr) return Fail("index " + args.Get("index") + ": no item table");
  Result<std::vector<JoinedRanking>> rankings = ReadLogs(args);
  if (!rankings.ok()) return Fail(rankings.error().message);
  Result<double> share = Number(args, "last-share", 1.0);
  if (!share.ok()) return Fail(share.error().message);
  if (*share < 1.0) {
    std::vector<JoinedRanking> earlier, later;
    SplitByTime(std::move(*rankings), *share, earlier, later);
    *rankings = std::move(later);
  }
  ReplayOptions options;
  Result<double> eta = Number(args, "eta", options.position_bias_eta);
  Result<double> top = Number(args, "top-changed", options.top_changed);
  if (!eta.ok() || !top.ok()) return Fail((eta.ok() ? top.error() : eta.error()).message);
  options.position_bias_eta = *eta;
  options.top_changed = static_cast<int>(*top);
  const ReplayReport report = Replay(*rankings, variants, *items, options);
  std::cout << FormatReplayReport(report);
  const std::string ratios = FormatReplayRatios(report, RatiosAgainst(report));
  if (!ratios.empty()) std::cout << "\n" << ratios;
  return 0;
}

// Per visitor, their carts and purchases in log order.
std::map<std::string, std::vector<Event>> Baskets(const std::string& state) {
  std::map<std::string, std::vector<Event>> baskets;
  Status read = ForEachLoggedEvent(state, [&](const Event& event) {
    if (event.type == EventType::kAddToCart || event.type == EventType::kPurchase) {
      baskets[event.visitor].push_back(event);
    }
  });
  if (!read.ok()) std::cerr << "tailor-ranker: " << read.error().message << std::endl;
  return baskets;
}

int Recs(const Args& args) {
  if (Status known = CheckKnown(args, {"train-state", "state", "index"}); !known.ok()) {
    return Fail(known.error().message);
  }
  for (const char* flag : {"train-state", "state", "index"}) {
    if (!args.Has(flag)) return Fail(std::string("--") + flag + ": required");
  }
  Result<std::unique_ptr<searcher::Searcher>> searcher =
      searcher::Searcher::Open(args.Get("index"), searcher::SearcherOptions{});
  if (!searcher.ok()) return Fail(searcher.error().WithPrefix("index " + args.Get("index")).message);
  auto co_owned = std::make_unique<CoOccurrence>();
  CoOccurrence& co = *co_owned;
  std::map<std::string, double> sold;
  int64_t last_ms = 0;
  Status trained = ForEachLoggedEvent(args.Get("train-state"), [&](const Event& event) {
    co.Apply(event);
    if (event.type == EventType::kPurchase) sold[event.item] += 1;
    last_ms = std::max(last_ms, event.timestamp_ms);
  });
  if (!trained.ok()) return Fail(trained.error().message);
  std::vector<std::pair<double, std::string>> ranked_sold;
  for (const auto& [item, count] : sold) ranked_sold.push_back({count, item});
  std::sort(ranked_sold.rbegin(), ranked_sold.rend());
  std::vector<std::string> bestsellers;
  for (size_t i = 0; i < ranked_sold.size() && i < 10; ++i) bestsellers.push_back(ranked_sold[i].second);
  // The served slots for an anonymous visitor (no profile, so no model): the engine's own
  // candidates, bonuses, rules and exclusions, over the same index and co-occurrence.
  Result<std::unique_ptr<searcher::Searcher>> serving_searcher =
      searcher::Searcher::Open(args.Get("index"), searcher::SearcherOptions{});
  if (!serving_searcher.ok()) return Fail(serving_searcher.error().message);
  server::EngineParts parts;
  parts.searcher = std::move(*serving_searcher);
  parts.co_occurrence = std::move(co_owned);
  server::Engine engine(std::move(parts));
  auto served = [&engine](const std::string& type, const std::string& item) {
    std::vector<std::string> ids;
    Result<server::RerankResponse> slot = engine.Recommend({type, item, 10}, {});
    if (slot.ok()) {
      for (const searcher::Hit& hit : slot->hits) ids.push_back(hit.id);
    }
    return ids;
  };
  int cases = 0, hits_also = 0, hits_similar = 0, hits_popular = 0;
  int served_also = 0, served_similar = 0;
  for (const auto& [visitor, events] : Baskets(args.Get("state"))) {
    for (size_t i = 1; i < events.size(); ++i) {
      if (events[i].type != EventType::kPurchase || events[i].item == events[i - 1].item) continue;
      const std::string& context = events[i - 1].item;
      const std::string& next = events[i].item;
      ++cases;
      auto holds = [&next](const std::vector<std::string>& list) {
        return std::find(list.begin(), list.end(), next) != list.end();
      };
      std::vector<std::string> also;
      for (const Neighbor& n : co.Neighbors(context, last_ms, 10)) also.push_back(n.item);
      std::vector<std::string> similar;
      Result<searcher::CandidateResult> found = (*searcher)->Similar({context}, 10);
      if (found.ok()) {
        for (const searcher::Hit& hit : found->result.hits) similar.push_back(hit.id);
      }
      hits_also += holds(also);
      hits_similar += holds(similar);
      hits_popular += holds(bestsellers);
      served_also += holds(served("also_bought", context));
      served_similar += holds(served("similar", context));
    }
  }
  auto rate = [cases](int hits) { return cases > 0 ? static_cast<double>(hits) / cases : 0.0; };
  std::cout << "next purchases judged " << cases << "\n"
            << "hit rate@10 also_bought " << rate(hits_also) << " (served slot "
            << rate(served_also) << ")\n"
            << "hit rate@10 similar     " << rate(hits_similar) << " (served slot "
            << rate(served_similar) << ")\n"
            << "hit rate@10 bestsellers " << rate(hits_popular) << std::endl;
  return 0;
}

int Explain(const Args& args) {
  if (Status known = CheckKnown(args, {"state", "request-id", "scoring", "variant"}); !known.ok()) {
    return Fail(known.error().message);
  }
  if (!args.Has("request-id")) return Fail("--request-id: required");
  Args logs = args;
  logs.values.erase("variant");
  Result<std::vector<JoinedRanking>> rankings = ReadLogs(logs);
  if (!rankings.ok()) return Fail(rankings.error().message);
  auto it = std::find_if(rankings->begin(), rankings->end(), [&](const JoinedRanking& r) {
    return r.record.request_id == args.Get("request-id");
  });
  if (it == rankings->end()) return Fail("--request-id: no logged ranking " + args.Get("request-id"));
  const Model* model = nullptr;
  std::shared_ptr<const Scoring> scoring;
  if (args.Has("scoring")) {
    Result<std::shared_ptr<const Scoring>> loaded = Scoring::Load(args.Get("scoring"));
    if (!loaded.ok()) return Fail(loaded.error().message);
    scoring = *loaded;
    const VariantConfig* variant = args.Has("variant")
                                       ? scoring->config().Find(args.Get("variant"))
                                       : &scoring->config().ChooseVariant("");
    if (variant == nullptr) return Fail("--variant: no variant \"" + args.Get("variant") + "\"");
    model = scoring->ModelOf(*variant);
  }
  const RankingRecord& record = it->record;
  std::cout << "request " << record.request_id << "  visitor " << record.visitor << "  variant "
            << record.variant << "  query \"" << record.query << "\"  personalized "
            << (record.personalized ? "yes" : "no") << "\n";
  const std::vector<std::string>& names = FeatureNames();
  std::vector<double> scores = model != nullptr ? model->Score(it->features) : std::vector<double>{};
  for (size_t i = 0; i < record.items.size(); ++i) {
    const LoggedItem& item = record.items[i];
    std::cout << "#" << item.position << " " << item.id << "  gain " << it->gains[i]
              << "  served score " << item.score;
    if (model != nullptr) std::cout << "  model score " << scores[i];
    std::cout << "\n   features:";
    for (int f = 0; f < kFeatureCount; ++f) {
      const float value = it->features.at(static_cast<int>(i), f);
      if (value != 0) std::cout << " " << names[f] << "=" << value;
    }
    if (model != nullptr) {
      std::vector<double> contributions = model->Contributions(it->features, static_cast<int>(i));
      std::vector<int> order(kFeatureCount);
      for (int f = 0; f < kFeatureCount; ++f) order[f] = f;
      std::sort(order.begin(), order.end(), [&](int a, int b) {
        return std::abs(contributions[a]) > std::abs(contributions[b]);
      });
      std::cout << "\n   contributions:";
      for (int k = 0; k < 6 && contributions[order[k]] != 0; ++k) {
        std::cout << " " << names[order[k]] << " " << (contributions[order[k]] > 0 ? "+" : "")
                  << contributions[order[k]];
      }
    }
    std::cout << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Result<Args> args = ParseArgs(argc, argv);
  if (!args.ok()) {
    std::cerr << kUsage;
    return Fail(args.error().message);
  }
  if (args->command == "--help" || args->command == "help" || args->command == "-h") {
    std::cout << kUsage;
    return 0;
  }
  if (args->command == "train") return Train(*args);
  if (args->command == "eval") return Eval(*args);
  if (args->command == "explain") return Explain(*args);
  if (args->command == "recs") return Recs(*args);
  return Fail("unknown command \"" + args->command + "\" (train, eval, explain, recs)");
}
