// tailor-rees46: the REES46 clickstream's dev half as a Tailor catalog, and replayed through
// a running tailor-server in its real order, with the searches a shop would have served
// (bench/rees46/README.md).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "bench/rees46/catalog.h"
#include "bench/rees46/dataset.h"
#include "bench/rees46/replay.h"
#include "core/text.h"
#include "tools/flags.h"
#include "tools/http_client.h"

namespace {

using tailor::Error;
using tailor::Result;
using tailor::Status;
namespace rees46 = tailor::rees46;

constexpr std::string_view kUsage =
    R"(Usage: tailor-rees46 catalog --data CSV --out FILE
       tailor-rees46 replay --server HOST:PORT --data CSV --phase train|eval
                            [--split-share X] [--variants A,B,...] [--log-variant NAME]
                            [--limit N] [--shift-days auto|N]
Reads the REES46 clickstream CSV, keeping only its dev half (users whose CRC-32 of user_id
is even), in event_time order.

catalog  writes the Tailor catalog (JSON Lines) of the products the dev half touched.
replay   posts the dev half's events to the server's /events one at a time, searching
         before each next item as a shop would (its leaf category words within its
         category). The first --split-share of the events (by count) are the train phase,
         the rest the eval phase. train: searches with --log-variant and posts the event
         with the search's request_id, query and position. eval (on a server holding the
         train phase): searches every --variants before posting and prints MRR@limit and
         hit rates per variant, for all next items, repeats and new items.

  --split-share X     share of the events in the train phase (default 0.7)
  --variants A,B      eval variants (default text,baseline,default)
  --log-variant NAME  train variant (default explore)
  --limit N           hits per search, 1..100 (default 100)
  --shift-days        days added to every event_time: auto (default) moves the last event
                      into the last day before now, so profiles do not decay away; give
                      eval the N that train printed
  --help              this text
)";

using Flags = tailor::ToolFlags;

constexpr std::string_view kFlags[] = {"--data",        "--out",         "--server",
                                       "--phase",       "--split-share", "--variants",
                                       "--log-variant", "--limit",       "--shift-days"};

Result<Flags> ParseFlags(int argc, char** argv) {
  return tailor::ParseToolFlags(argc, argv, kFlags, tailor::CommandWord::kAllowed);
}

Result<std::string> Required(const Flags& flags, const std::string& name) {
  auto it = flags.values.find(name);
  if (it == flags.values.end()) return Error::InvalidArgument(name + ": required");
  return it->second;
}

std::string Optional(const Flags& flags, const std::string& name, std::string fallback) {
  auto it = flags.values.find(name);
  return it == flags.values.end() ? fallback : it->second;
}

// The whole text must be a number in [lo, hi].
Result<double> Number(const std::string& name, const std::string& text, double lo, double hi) {
  try {
    size_t end = 0;
    double value = std::stod(text, &end);
    if (end == text.size() && value >= lo && value <= hi) return value;
  } catch (const std::exception&) {
  }
  return Error::InvalidArgument(name + ": must be a number in " + std::to_string(lo) + ".." +
                                std::to_string(hi));
}

void PrintCounts(const rees46::DevHalf& half) {
  std::fprintf(stderr, "dev half: %zu events (%ld rows of the other half skipped, %ld truncated)\n",
               half.events.size(), half.odd_rows, half.truncated_rows);
}

Status RunCatalog(const Flags& flags) {
  Result<std::string> data = Required(flags, "--data");
  if (!data.ok()) return data.error();
  Result<std::string> out_path = Required(flags, "--out");
  if (!out_path.ok()) return out_path.error();
  Result<rees46::DevHalf> half = rees46::LoadDevHalf(*data);
  if (!half.ok()) return half.error();
  PrintCounts(*half);
  rees46::Catalog catalog = rees46::BuildCatalog(half->events);
  std::ofstream out(*out_path, std::ios::binary | std::ios::trunc);
  for (const std::string& record : catalog.records) out << record << '\n';
  out.close();
  if (!out) return Error::Unavailable(*out_path + ": cannot write");
  std::fprintf(stderr,
               "catalog: %zu products (%ld with category_code, %ld as other, %ld with "
               "brand) -> %s\n",
               catalog.records.size(), catalog.with_category, catalog.without_category,
               catalog.with_brand, out_path->c_str());
  return Status::Ok();
}

Result<int64_t> ShiftMs(const Flags& flags, const rees46::DevHalf& half) {
  const std::string text = Optional(flags, "--shift-days", "auto");
  if (text != "auto") {
    Result<double> days = Number("--shift-days", text, 0, 100000);
    if (!days.ok()) return days.error();
    return static_cast<int64_t>(*days) * 86400000;
  }
  if (half.events.empty()) return int64_t{0};
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  return rees46::WholeDaysShiftMs(half.events.back().time_ms, now_ms);
}

Result<rees46::ReplayOptions> BuildReplayOptions(const Flags& flags, const rees46::DevHalf& half) {
  rees46::ReplayOptions options;
  Result<std::string> phase = Required(flags, "--phase");
  if (!phase.ok()) return phase.error();
  if (*phase != "train" && *phase != "eval") {
    return Error::InvalidArgument("--phase: must be train or eval");
  }
  options.phase = *phase == "train" ? rees46::Phase::kTrain : rees46::Phase::kEval;
  Result<double> share = Number("--split-share", Optional(flags, "--split-share", "0.7"), 0, 1);
  if (!share.ok()) return share.error();
  options.split_share = *share;
  Result<double> limit = Number("--limit", Optional(flags, "--limit", "100"), 1, 100);
  if (!limit.ok()) return limit.error();
  options.limit = static_cast<int>(*limit);
  if (auto it = flags.values.find("--variants"); it != flags.values.end()) {
    options.variants = tailor::Split(it->second, ',');
  }
  for (const std::string& variant : options.variants) {
    if (variant.empty()) return Error::InvalidArgument("--variants: an empty name");
  }
  options.log_variant = Optional(flags, "--log-variant", options.log_variant);
  Result<int64_t> shift_ms = ShiftMs(flags, half);
  if (!shift_ms.ok()) return shift_ms.error();
  options.shift_ms = *shift_ms;
  return options;
}

Status RunReplay(const Flags& flags) {
  Result<std::string> data = Required(flags, "--data");
  if (!data.ok()) return data.error();
  Result<tailor::HostPort> server =
      tailor::ParseHostPort(Optional(flags, "--server", "127.0.0.1:8080"));
  if (!server.ok()) return server.error();
  Result<rees46::DevHalf> half = rees46::LoadDevHalf(*data);
  if (!half.ok()) return half.error();
  PrintCounts(*half);
  Result<rees46::ReplayOptions> options = BuildReplayOptions(flags, *half);
  if (!options.ok()) return options.error();
  std::fprintf(stderr, "train phase: events [0, %zu); timestamps shifted by %lld days\n",
               rees46::TrainCount(half->events.size(), options->split_share),
               static_cast<long long>(options->shift_ms / 86400000));
  auto client = tailor::HttpClient::Connect(*server);
  if (!client.ok()) return client.error();
  if (options->phase == rees46::Phase::kTrain) {
    auto counts = rees46::ReplayTrain(**client, *half, *options, std::cerr);
    if (!counts.ok()) return counts.error();
    std::printf("train: %ld events posted, %ld searches, %ld next items on their page\n",
                counts->events, counts->searches, counts->found);
    return Status::Ok();
  }
  Result<rees46::EvalReport> report = rees46::ReplayEval(**client, *half, *options, std::cerr);
  if (!report.ok()) return report.error();
  std::fputs(report->Format().c_str(), stdout);
  return Status::Ok();
}

}  // namespace

int main(int argc, char** argv) {
  Result<Flags> flags = ParseFlags(argc, argv);
  if (flags.ok() && (flags->help || argc == 1)) {
    std::cout << kUsage;
    return 0;
  }
  Status status = !flags.ok()                   ? Status(flags.error())
                  : flags->command == "catalog" ? RunCatalog(*flags)
                  : flags->command == "replay"
                      ? RunReplay(*flags)
                      : Status(Error::InvalidArgument("command: must be catalog or replay"));
  if (!status.ok()) {
    std::cerr << "tailor-rees46: " << status.error().message << "\n";
    return 1;
  }
  return 0;
}
