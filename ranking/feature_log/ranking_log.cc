#include "ranking/feature_log/ranking_log.h"

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include "core/json.h"
#include "core/json_options.h"
#include "core/segment_log.h"
#include "core/serial_worker.h"

namespace tailor::ranking {
namespace {

namespace fs = std::filesystem;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

Result<std::string> StringField(const rapidjson::Value& object, const char* key,
                                const std::string& path, bool required) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd()) {
    if (required) return Error::InvalidArgument(path + key + ": required");
    return std::string();
  }
  if (!it->value.IsString()) return Error::InvalidArgument(path + key + ": must be a string");
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

Result<LoggedItem> ItemFromJson(const rapidjson::Value& json, const std::string& path,
                                size_t feature_count) {
  if (!json.IsObject()) return Error::InvalidArgument(path + ": must be an object");
  LoggedItem item;
  Result<std::string> id = StringField(json, "id", path + ".", true);
  if (!id.ok()) return id.error();
  item.id = std::move(*id);
  auto number = [&](const char* key, double* out) -> Status {
    auto it = json.FindMember(key);
    if (it == json.MemberEnd()) return Status::Ok();
    if (!it->value.IsNumber()) {
      return Error::InvalidArgument(path + "." + key + ": must be a number");
    }
    *out = it->value.GetDouble();
    return Status::Ok();
  };
  double position = 0, margin = std::nan("");
  for (auto [key, out] : {std::pair{"position", &position}, std::pair{"price", &item.price},
                          std::pair{"margin", &margin}, std::pair{"score", &item.score}}) {
    if (Status status = number(key, out); !status.ok()) return status.error();
  }
  item.position = static_cast<int>(position);
  if (!std::isnan(margin)) item.margin = margin;
  if (auto it = json.FindMember("boosted"); it != json.MemberEnd() && it->value.IsBool()) {
    item.boosted = it->value.GetBool();
  }
  auto features = json.FindMember("f");
  if (features == json.MemberEnd() || !features->value.IsArray()) {
    return Error::InvalidArgument(path + ".f: required array");
  }
  if (features->value.Size() != feature_count) {
    return Error::InvalidArgument(path + ".f: " + std::to_string(features->value.Size()) +
                                  " values for " + std::to_string(feature_count) + " names");
  }
  item.features.reserve(feature_count);
  for (const rapidjson::Value& value : features->value.GetArray()) {
    if (!value.IsNumber()) return Error::InvalidArgument(path + ".f: must hold numbers");
    item.features.push_back(static_cast<float>(value.GetDouble()));
  }
  return item;
}

void WriteFilters(Writer& writer, const LoggedFilters& filters) {
  writer.StartObject();
  for (auto [key, values] :
       {std::pair{"brand", &filters.brands}, std::pair{"category", &filters.categories},
        std::pair{"size", &filters.sizes}, std::pair{"color", &filters.colors}}) {
    if (values->empty()) continue;
    writer.Key(key);
    writer.StartArray();
    for (const std::string& value : *values) WriteJsonString(writer, value);
    writer.EndArray();
  }
  for (auto [key, value] :
       {std::pair{"price_min", &filters.price_min}, std::pair{"price_max", &filters.price_max}}) {
    if (!*value) continue;
    writer.Key(key);
    writer.Double(**value);
  }
  if (filters.in_stock) {
    writer.Key("in_stock");
    writer.Bool(true);
  }
  writer.EndObject();
}

Result<LoggedFilters> FiltersFromJson(const rapidjson::Value& json) {
  if (!json.IsObject()) return Error::InvalidArgument("filters: must be an object");
  LoggedFilters filters;
  for (auto [key, values] :
       {std::pair{"brand", &filters.brands}, std::pair{"category", &filters.categories},
        std::pair{"size", &filters.sizes}, std::pair{"color", &filters.colors}}) {
    auto it = json.FindMember(key);
    if (it == json.MemberEnd()) continue;
    if (!it->value.IsArray())
      return Error::InvalidArgument(std::string("filters.") + key + ": must be an array");
    for (const rapidjson::Value& value : it->value.GetArray()) {
      if (!value.IsString()) {
        return Error::InvalidArgument(std::string("filters.") + key + ": must hold strings");
      }
      values->emplace_back(value.GetString(), value.GetStringLength());
    }
  }
  for (auto [key, value] :
       {std::pair{"price_min", &filters.price_min}, std::pair{"price_max", &filters.price_max}}) {
    auto it = json.FindMember(key);
    if (it == json.MemberEnd()) continue;
    if (!it->value.IsNumber()) {
      return Error::InvalidArgument(std::string("filters.") + key + ": must be a number");
    }
    *value = it->value.GetDouble();
  }
  if (auto it = json.FindMember("in_stock"); it != json.MemberEnd()) {
    if (!it->value.IsBool()) return Error::InvalidArgument("filters.in_stock: must be a boolean");
    filters.in_stock = it->value.GetBool();
  }
  return filters;
}

}  // namespace

std::string RankingRecordToJson(const RankingRecord& record) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.SetMaxDecimalPlaces(6);
  writer.StartObject();
  writer.Key("request_id");
  WriteJsonString(writer, record.request_id);
  writer.Key("visitor");
  WriteJsonString(writer, record.visitor);
  writer.Key("variant");
  WriteJsonString(writer, record.variant);
  writer.Key("query");
  WriteJsonString(writer, record.query);
  writer.Key("timestamp");
  writer.Int64(record.timestamp_ms);
  writer.Key("personalized");
  writer.Bool(record.personalized);
  if (record.total) {
    writer.Key("total");
    writer.Int64(*record.total);
  }
  if (!record.filters.empty()) {
    writer.Key("filters");
    WriteFilters(writer, record.filters);
  }
  writer.Key("names");
  writer.StartArray();
  for (const std::string& name : record.feature_names) WriteJsonString(writer, name);
  writer.EndArray();
  writer.Key("items");
  writer.StartArray();
  for (const LoggedItem& item : record.items) {
    writer.StartObject();
    writer.Key("id");
    WriteJsonString(writer, item.id);
    writer.Key("position");
    writer.Int(item.position);
    writer.Key("price");
    writer.Double(item.price);
    if (item.margin) {
      writer.Key("margin");
      writer.Double(*item.margin);
    }
    writer.Key("score");
    writer.Double(std::isfinite(item.score) ? item.score : 0);
    if (item.boosted) {
      writer.Key("boosted");
      writer.Bool(true);
    }
    writer.Key("f");
    writer.StartArray();
    // Rounded, not cut, to the six decimals written: 0.9f reads back as 0.9f.
    for (float value : item.features) {
      writer.Double(std::isfinite(value) ? std::round(static_cast<double>(value) * 1e6) / 1e6 : 0);
    }
    writer.EndArray();
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

Result<RankingRecord> RankingRecordFromJson(std::string_view line) {
  rapidjson::Document json;
  if (Status parsed = ParseJson(line, "", json); !parsed.ok()) {
    return parsed.error();
  }
  if (!json.IsObject()) return Error::InvalidArgument("record: must be an object");
  RankingRecord record;
  for (auto [key, out, required] :
       {std::tuple{"request_id", &record.request_id, true},
        std::tuple{"visitor", &record.visitor, true}, std::tuple{"variant", &record.variant, false},
        std::tuple{"query", &record.query, false}}) {
    Result<std::string> value = StringField(json, key, "", required);
    if (!value.ok()) return value.error();
    *out = std::move(*value);
  }
  if (auto it = json.FindMember("timestamp"); it != json.MemberEnd() && it->value.IsInt64()) {
    record.timestamp_ms = it->value.GetInt64();
  } else {
    return Error::InvalidArgument("timestamp: required integer");
  }
  if (auto it = json.FindMember("personalized"); it != json.MemberEnd() && it->value.IsBool()) {
    record.personalized = it->value.GetBool();
  }
  if (auto it = json.FindMember("total"); it != json.MemberEnd()) {
    if (!it->value.IsInt64()) return Error::InvalidArgument("total: must be an integer");
    record.total = it->value.GetInt64();
  }
  if (auto it = json.FindMember("filters"); it != json.MemberEnd()) {
    Result<LoggedFilters> filters = FiltersFromJson(it->value);
    if (!filters.ok()) return filters.error();
    record.filters = std::move(*filters);
  }
  auto names = json.FindMember("names");
  if (names == json.MemberEnd() || !names->value.IsArray()) {
    return Error::InvalidArgument("names: required array");
  }
  for (const rapidjson::Value& name : names->value.GetArray()) {
    if (!name.IsString()) return Error::InvalidArgument("names: must hold strings");
    record.feature_names.emplace_back(name.GetString(), name.GetStringLength());
  }
  auto items = json.FindMember("items");
  if (items == json.MemberEnd() || !items->value.IsArray()) {
    return Error::InvalidArgument("items: required array");
  }
  for (rapidjson::SizeType i = 0; i < items->value.Size(); ++i) {
    Result<LoggedItem> item = ItemFromJson(items->value[i], "items[" + std::to_string(i) + "]",
                                           record.feature_names.size());
    if (!item.ok()) return item.error();
    record.items.push_back(std::move(*item));
  }
  return record;
}

Result<RankingLogOptions> ParseRankingLogOptions(const rapidjson::Value& json) {
  json_options::Reader<RankingLogOptions> reader;
  reader.Bool("enabled", &RankingLogOptions::enabled)
      .Int64("segment_bytes", &RankingLogOptions::segment_bytes, 4096)
      .Int("flush_interval_ms", &RankingLogOptions::flush_interval_ms, 1, 60000)
      .Int("max_queued", &RankingLogOptions::max_queued, 1)
      .Int("retention_days", &RankingLogOptions::retention_days, 1, 36500);
  RankingLogOptions options;
  if (Status status = reader.Read(json, "feature_log", options); !status.ok()) {
    return status.error();
  }
  return options;
}

class RankingLog::Impl {
 public:
  Impl(RankingLogOptions options, std::unique_ptr<SegmentLog> log)
      : options_(options), log_(std::move(log)) {
    thread_ = std::thread([this] { Run(); });
  }
  ~Impl() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  void Append(RankingRecord record) {
    {
      std::lock_guard lock(mutex_);
      if (static_cast<int>(queue_.size()) >= options_.max_queued) {
        ++dropped_;
        return;
      }
      queue_.push_back(std::move(record));
    }
    wake_.notify_one();
  }

  Status Flush() {
    std::unique_lock lock(mutex_);
    const uint64_t ticket = ++flush_requested_;
    wake_.notify_all();
    done_.wait(lock, [&] { return flush_done_ >= ticket; });
    return flush_status_;
  }

  void Forget(std::string visitor, std::function<void(Result<bool>)> done) {
    {
      std::lock_guard lock(mutex_);
      forgets_.emplace_back(std::move(visitor), std::move(done));
    }
    wake_.notify_one();
  }

  uint64_t dropped() const {
    std::lock_guard lock(mutex_);
    return dropped_;
  }
  uint64_t written() const {
    std::lock_guard lock(mutex_);
    return written_;
  }

 private:
  using ForgetRequest = std::pair<std::string, std::function<void(Result<bool>)>>;

  void Run() {
    const auto interval = std::chrono::milliseconds(options_.flush_interval_ms);
    auto last_sync = std::chrono::steady_clock::now();
    auto last_retention = std::chrono::steady_clock::time_point{};
    std::unique_lock lock(mutex_);
    while (true) {
      wake_.wait_for(lock, interval, [&] {
        return (!purge_in_flight_ && (stopping_ || !forgets_.empty())) ||
               flush_requested_ > flush_done_ || static_cast<int>(queue_.size()) >= kBatch;
      });
      std::deque<RankingRecord> records;
      records.swap(queue_);
      // Forgets asked while a purge runs wait for it and then share one pass: a pass reads
      // every segment, so one per forget would fall ever further behind.
      std::deque<ForgetRequest> forgets;
      if (!purge_in_flight_) forgets.swap(forgets_);
      if (!forgets.empty()) purge_in_flight_ = true;
      const uint64_t flush_ticket = flush_requested_;
      const bool stopping = stopping_;
      lock.unlock();

      Status status = Write(records, forgets);
      const auto now = std::chrono::steady_clock::now();
      if (status.ok() && (now - last_sync >= interval || flush_ticket > flush_done_ || stopping)) {
        status = log_->Sync();
        last_sync = now;
      }
      if (now - last_retention >= std::chrono::hours(1)) {
        const uint64_t current = log_->current_sequence();
        files_.Post([this, current] { RemoveExpired(current); });
        last_retention = now;
      }
      if (!forgets.empty()) StartPurge(std::move(forgets));
      lock.lock();
      written_ += status.ok() ? records.size() : 0;
      if (flush_ticket > flush_done_) {
        flush_done_ = flush_ticket;
        flush_status_ = status;
        done_.notify_all();
      }
      if (stopping && queue_.empty() && forgets_.empty() && !purge_in_flight_) return;
    }
  }

  Status Write(const std::deque<RankingRecord>& records, std::deque<ForgetRequest>& forgets) {
    std::string buffer;
    std::vector<uint64_t> keys;
    for (const RankingRecord& record : records) {
      bool forgotten = false;
      for (const ForgetRequest& request : forgets) forgotten |= request.first == record.visitor;
      if (forgotten) continue;
      buffer += RankingRecordToJson(record);
      buffer += '\n';
      keys.push_back(VisitorKey(record.visitor));
      if (buffer.size() >= (1 << 20)) {
        if (Status status = log_->Append(buffer, keys); !status.ok()) return status;
        buffer.clear();
        keys.clear();
      }
    }
    return buffer.empty() ? Status::Ok() : log_->Append(buffer, keys);
  }

  // Seals the current segment, which may hold the visitors' records too, and has the files
  // thread drop their records from every sealed segment in one pass, while this thread
  // keeps writing; each done is called there.
  void StartPurge(std::deque<ForgetRequest> forgets) {
    if (Status status = log_->Roll(); !status.ok()) {
      for (ForgetRequest& request : forgets) request.second(status.error());
      std::lock_guard lock(mutex_);
      purge_in_flight_ = false;
      return;
    }
    auto purge = std::make_shared<std::deque<ForgetRequest>>(std::move(forgets));
    files_.Post([this, purge, before = log_->current_sequence()] {
      std::vector<std::string> visitors;
      for (const ForgetRequest& request : *purge) visitors.push_back(request.first);
      VisitorPurge purged(visitors, [](std::string_view line) -> std::optional<std::string> {
        Result<RankingRecord> record = RankingRecordFromJson(line);
        if (!record.ok()) return std::nullopt;
        return std::move(record->visitor);
      });
      const Status dropped = purged.Drop(log_dir_, before);
      for (size_t i = 0; i < purge->size(); ++i) {
        if (dropped.ok()) {
          (*purge)[i].second(static_cast<bool>(purged.found()[i]));
        } else {
          (*purge)[i].second(dropped.error());
        }
      }
      {
        std::lock_guard lock(mutex_);
        purge_in_flight_ = false;
      }
      wake_.notify_all();
    });
  }

  // On the files thread: removes the sealed segments (before `current`) past retention.
  void RemoveExpired(uint64_t current) {
    const auto oldest = fs::file_time_type::clock::now() -
                        std::chrono::hours(24 * static_cast<int64_t>(options_.retention_days));
    Result<std::vector<uint64_t>> segments = ListSegments(log_dir_);
    if (!segments.ok()) return;
    std::error_code ec;
    for (uint64_t sequence : *segments) {
      if (sequence >= current) continue;
      fs::path path = fs::path(log_dir_) / SegmentFileName(sequence);
      if (fs::last_write_time(path, ec) < oldest && !ec) {
        fs::remove(path, ec);
        fs::remove(fs::path(log_dir_) / SegmentKeysFileName(sequence), ec);
      }
    }
  }

  static constexpr int kBatch = 256;
  RankingLogOptions options_;
  std::unique_ptr<SegmentLog> log_;
  mutable std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::deque<RankingRecord> queue_;
  std::deque<ForgetRequest> forgets_;
  uint64_t flush_requested_ = 0, flush_done_ = 0;
  Status flush_status_ = Status::Ok();
  uint64_t dropped_ = 0, written_ = 0;
  bool stopping_ = false;
  bool purge_in_flight_ = false;  // a purge runs on files_; forgets_ wait for it
  const std::string log_dir_ = log_->dir();
  // Purges and retention: slow file work off the writer thread, one job at a time. Declared
  // before thread_, so destroyed after the writer has stopped posting to it.
  SerialWorker files_;
  std::thread thread_;
};

RankingLog::RankingLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RankingLog::~RankingLog() = default;

Result<std::unique_ptr<RankingLog>> RankingLog::Open(const std::string& dir,
                                                      RankingLogOptions options) {
  Result<std::vector<uint64_t>> existing = ListSegments(dir);
  const uint64_t next = existing.ok() && !existing->empty() ? existing->back() + 1 : 1;
  Result<std::unique_ptr<SegmentLog>> log =
      SegmentLog::Open(dir, next, options.segment_bytes, /*keyed=*/true);
  if (!log.ok()) return log.error();
  return std::unique_ptr<RankingLog>(
      new RankingLog(std::make_unique<Impl>(options, std::move(*log))));
}

void RankingLog::Append(RankingRecord record) { impl_->Append(std::move(record)); }
Status RankingLog::Flush() { return impl_->Flush(); }
void RankingLog::Forget(std::string visitor, std::function<void(Result<bool>)> done) {
  impl_->Forget(std::move(visitor), std::move(done));
}
uint64_t RankingLog::dropped() const { return impl_->dropped(); }
uint64_t RankingLog::written() const { return impl_->written(); }

Status ForEachLoggedRanking(const std::string& dir,
                            const std::function<void(RankingRecord&&)>& fn) {
  return ScanLoggedRankings(dir, 0, [&fn](RankingRecord&& record) {
    fn(std::move(record));
    return true;
  });
}

Status ScanLoggedRankings(const std::string& dir, int64_t written_since_ms,
                          const std::function<bool(RankingRecord&&)>& fn) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return Status::Ok();
  Result<std::vector<uint64_t>> segments = ListSegments(dir);
  if (!segments.ok()) return segments.error();
  const auto since =
      std::chrono::file_clock::from_sys(std::chrono::sys_time<std::chrono::milliseconds>(
          std::chrono::milliseconds(written_since_ms)));
  bool stopped = false;
  for (uint64_t sequence : *segments) {
    const std::string name = SegmentFileName(sequence);
    const std::string path = dir + "/" + name;
    // A segment that cannot be stat()ed (purged meanwhile) is read, and the read decides.
    if (written_since_ms > 0) {
      const fs::file_time_type written = fs::last_write_time(path, ec);
      if (!ec && written < since) continue;
    }
    Status status = ForEachLine(
        path, TornTail::kIgnore, [&](std::string_view line, size_t line_number) -> Status {
          if (stopped) return Status::Ok();
          Result<RankingRecord> record = RankingRecordFromJson(line);
          if (!record.ok()) {
            return Error::DataLoss(name + ":" + std::to_string(line_number) + ": " +
                                   record.error().message);
          }
          stopped = !fn(std::move(*record));
          return Status::Ok();
        });
    if (!status.ok()) return status;
    if (stopped) break;
  }
  return Status::Ok();
}

}  // namespace tailor::ranking
