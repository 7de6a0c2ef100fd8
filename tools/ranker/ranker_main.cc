// tailor-ranker: the relevance engineer's tool. Trains a model from the logged traffic of a
// state directory, replays logged traffic under scoring variants side by side, explains one
// logged ranking, judges recommendation slots by next purchases and prints the search
// analytics. It reads the logs only,
// so it runs beside a serving tailor-server. A tool spanning modules: the offline library
// (ranking/offline) does the work; recs also asks the searcher and an Engine for the slots
// they serve.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "ranking/analytics/search_analytics.h"
#include "ranking/offline/next_purchase.h"
#include "ranking/offline/ranker_reports.h"
#include "ranking/offline/replay.h"
#include "ranking/offline/replay_ratios.h"
#include "ranking/offline/trainer.h"
#include "ranking/offline/training_data.h"
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
       tailor-ranker analytics --state DIR [--from T] [--to T] [--limit N] [--variant NAME]

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
  --replay-weight X   how much each --replay-state query counts against a served one, in
                      the loss and the validation means (1); "balanced": as much as makes
                      the replayed queries with a judgment weigh as much as the served ones
  --seeds N           training runs, seeds seed..seed+N-1, the best kept (3)
  --kind linear|mlp   (linear)        --hidden N[,M]  hidden layer widths for mlp (16)
  --features a,b,...  features to use (every registry feature)
  --variant NAME      only rankings served by this variant
  --personalized-only only rankings that used a visitor profile
  --negatives all|examined  unjudged rows paired with clicks: every shown row (all, the
                      default) or those down to one past the lowest judged position
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

analytics  prints the search analytics of DIR's logs as JSON, as GET /admin/analytics
         answers: top queries with click-through, add-to-cart and purchase rates, queries
         without results or clicks, the filters used, per variant.
  --from T, --to T    the window, epoch milliseconds or ISO 8601 (the last 7 days)
  --limit N           entries per list, 1..1000 (20)     --variant NAME  only that variant
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

void Progress(std::string_view line) { std::cerr << "tailor-ranker: " << line << std::endl; }

JoinOptions JoinOf(const Args& args) {
  JoinOptions join;
  join.variant = args.Get("variant");
  join.personalized_only = args.Has("personalized-only");
  return join;
}

// The rankings of every --state, one after the other.
Result<std::vector<JoinedRanking>> ReadLogs(const Args& args) {
  if (!args.Has("state")) return Error::InvalidArgument("--state: required");
  std::vector<JoinedRanking> all;
  for (const std::string& state : args.values.at("state")) {
    Result<std::vector<JoinedRanking>> rankings = ReadJoinedLogs(state, JoinOf(args), Progress);
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
  const std::string negatives = args.Get("negatives", "all");
  if (negatives == "examined") {
    options.negatives = Negatives::kExamined;
  } else if (negatives != "all") {
    return Error::InvalidArgument("--negatives: unknown \"" + negatives + "\" (examined, all)");
  }
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

// The queries of every --state (served) and then every --replay-state.
Result<std::vector<TrainingQuery>> TrainingQueries(const Args& args) {
  if (!args.Has("state") && !args.Has("replay-state")) {
    return Error::InvalidArgument("--state: required (or --replay-state)");
  }
  const bool balanced = args.Has("replay-weight") && args.Get("replay-weight") == "balanced";
  Result<double> replay_weight =
      balanced ? Result<double>(1.0) : Number(args, "replay-weight", 1.0);
  if (!replay_weight.ok()) return replay_weight.error();
  if (!std::isfinite(*replay_weight) || *replay_weight <= 0) {
    return Error::InvalidArgument("--replay-weight: must be a number > 0 or \"balanced\"");
  }
  std::vector<TrainingSource> sources;
  for (const char* flag : {"state", "replay-state"}) {
    if (!args.Has(flag)) continue;
    const bool served = std::string_view(flag) == "state";
    for (const std::string& dir : args.values.at(flag)) {
      sources.push_back({dir, served, served ? 1.0 : *replay_weight});
    }
  }
  Result<std::vector<TrainingQuery>> queries = ReadTrainingQueries(sources, JoinOf(args), Progress);
  if (!queries.ok() || !balanced) return queries;
  const std::optional<double> weight = BalanceReplayWeight(*queries);
  if (!weight) {
    return Error::InvalidArgument(
        "--replay-weight balanced: needs judged queries of both --state and --replay-state");
  }
  Progress("--replay-weight balanced: each replayed query counts " + std::to_string(*weight));
  return queries;
}

int Train(const Args& args) {
  if (Status known =
          CheckKnown(args, {"state", "replay-state", "replay-weight", "out", "kind", "hidden",
                            "features", "variant", "personalized-only", "epochs", "patience", "lr",
                            "l2", "eta", "validation-share", "seed", "seeds", "name", "negatives"});
      !known.ok()) {
    return Fail(known.error().message);
  }
  if (!args.Has("out")) return Fail("--out: required (the model file to write)");
  Result<TrainerOptions> options = TrainOptions(args);
  if (!options.ok()) return Fail(options.error().message);
  Result<std::vector<TrainingQuery>> queries = TrainingQueries(args);
  if (!queries.ok()) return Fail(queries.error().message);
  Result<TrainReport> report = ranking::Train(*queries, *options, Progress);
  if (!report.ok()) return Fail(report.error().message);
  if (Status saved = report->model->Save(args.Get("out")); !saved.ok()) {
    return Fail(saved.error().message);
  }
  std::cout << FormatTrainReport(*report, args.Get("out")) << std::flush;
  return 0;
}

Result<std::shared_ptr<const ItemTable>> IndexItems(const std::string& index) {
  Result<std::unique_ptr<searcher::Searcher>> searcher =
      searcher::Searcher::Open(index, searcher::SearcherOptions{});
  if (!searcher.ok()) return searcher.error().WithPrefix("index " + index);
  std::shared_ptr<const ItemTable> items = (*searcher)->Items();
  if (items == nullptr) return Error::Unavailable("index " + index + ": no item table");
  return items;
}

Result<ReplayOptions> EvalOptions(const Args& args) {
  ReplayOptions options;
  Result<double> eta = Number(args, "eta", options.position_bias_eta);
  Result<double> top = Number(args, "top-changed", options.top_changed);
  if (!eta.ok() || !top.ok()) return eta.ok() ? top.error() : eta.error();
  options.position_bias_eta = *eta;
  options.top_changed = static_cast<int>(*top);
  return options;
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
  Result<std::vector<ReplayVariant>> variants = ChooseReplayVariants(
      scorings, args.Has("variants") ? Split(args.Get("variants"), ',') : std::vector<std::string>{});
  if (!variants.ok()) return Fail(variants.error().WithPrefix("--variants").message);
  Result<std::shared_ptr<const ItemTable>> items = IndexItems(args.Get("index"));
  if (!items.ok()) return Fail(items.error().message);
  Result<std::vector<JoinedRanking>> rankings = ReadLogs(args);
  if (!rankings.ok()) return Fail(rankings.error().message);
  Result<double> share = Number(args, "last-share", 1.0);
  if (!share.ok()) return Fail(share.error().message);
  if (*share < 1.0) {
    std::vector<JoinedRanking> earlier, later;
    SplitByTime(std::move(*rankings), *share, earlier, later);
    *rankings = std::move(later);
  }
  Result<ReplayOptions> options = EvalOptions(args);
  if (!options.ok()) return Fail(options.error().message);
  const ReplayReport report = Replay(*rankings, *variants, **items, *options);
  std::cout << FormatReplayReport(report);
  const std::string ratios = FormatReplayRatios(report, RatiosAgainst(report));
  if (!ratios.empty()) std::cout << "\n" << ratios;
  return 0;
}

// The slots judged by recs: each candidate source alone (the Engine's own searcher and
// co-occurrence), the slot the Engine serves an anonymous visitor (no profile, so no model:
// its candidates, bonuses, rules and exclusions), and the bestsellers.
std::vector<SlotUnderTest> RecsSlots(const searcher::Searcher& searcher, server::Engine& engine,
                                     const CoOccurrence& co, const PurchaseHistory& history) {
  auto served = [&engine](const std::string& type) {
    return [&engine, type](const std::string& item) {
      std::vector<std::string> ids;
      Result<server::RerankResponse> slot = engine.Recommend({type, item, 10}, {});
      if (slot.ok()) {
        for (const searcher::Hit& hit : slot->hits) ids.push_back(hit.id);
      }
      return ids;
    };
  };
  auto also = [&co, &history](const std::string& item) {
    std::vector<std::string> ids;
    for (const Neighbor& n : co.Neighbors(item, history.last_ms, 10)) {
      ids.push_back(n.item);
    }
    return ids;
  };
  auto similar = [&searcher](const std::string& item) {
    std::vector<std::string> ids;
    Result<searcher::CandidateResult> found = searcher.Similar({item}, 10);
    if (found.ok()) {
      for (const searcher::Hit& hit : found->result.hits) ids.push_back(hit.id);
    }
    return ids;
  };
  auto bestsellers = [&history](const std::string&) { return history.bestsellers; };
  return {{"also_bought", also}, {"served also_bought", served("also_bought")},
          {"similar", similar}, {"served similar", served("similar")},
          {"bestsellers", bestsellers}};
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
  Result<PurchaseHistory> history = LearnPurchases(args.Get("train-state"));
  if (!history.ok()) return Fail(history.error().message);
  std::vector<NextPurchase> cases;
  if (Status read = ReadNextPurchases(args.Get("state"), cases); !read.ok()) {
    std::cerr << "tailor-ranker: " << read.error().message << std::endl;
  }
  // The Engine owns the learned co-occurrence from here; the sources alone read it too.
  const CoOccurrence& co = *history->co_occurrence;
  server::EngineParts parts;
  parts.searcher = std::move(*searcher);
  parts.co_occurrence = std::move(history->co_occurrence);
  server::Engine engine(std::move(parts));
  std::vector<SlotUnderTest> slots = RecsSlots(engine.searcher(), engine, co, *history);
  const std::vector<double> rates = HitRates(cases, slots);
  std::cout << "next purchases judged " << cases.size() << "\n"
            << "hit rate@10 also_bought " << rates[0] << " (served slot " << rates[1] << ")\n"
            << "hit rate@10 similar     " << rates[2] << " (served slot " << rates[3] << ")\n"
            << "hit rate@10 bestsellers " << rates[4] << std::endl;
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
  std::cout << FormatExplainedRanking(*it, model) << std::flush;
  return 0;
}

int Analytics(const Args& args) {
  if (Status known = CheckKnown(args, {"state", "from", "to", "limit", "variant"}); !known.ok()) {
    return Fail(known.error().message);
  }
  if (!args.Has("state")) return Fail("--state: required");
  std::vector<std::pair<std::string, std::string>> params;
  for (const auto& [key, values] : args.values) {
    if (key == "state") continue;
    for (const std::string& value : values) params.emplace_back(key, value);
  }
  Result<AnalyticsQuery> query = ParseAnalyticsQuery(params, server::Engine::NowMs());
  if (!query.ok()) return Fail("--" + query.error().message);
  Result<AnalyticsReport> report = ComputeAnalytics(args.Get("state"), *query, {});
  if (!report.ok()) return Fail(report.error().WithPrefix(args.Get("state")).message);
  std::cout << AnalyticsReportToJson(*report) << std::endl;
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
  if (args->command == "analytics") return Analytics(*args);
  return Fail("unknown command \"" + args->command + "\" (train, eval, explain, recs, analytics)");
}
