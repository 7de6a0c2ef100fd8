#include "server/http/access_log.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sodium.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

namespace tailor::server::http {
namespace {

constexpr std::string_view kVisitor = "visitor";
constexpr size_t kHashBytes = 16;

// UTC with milliseconds from the civil calendar of <chrono>: gmtime_r would take glibc's
// time-zone lock on every request, shared by all io threads.
std::string IsoTimeNow() {
  using namespace std::chrono;
  const auto now = floor<milliseconds>(system_clock::now());
  const auto day = floor<days>(now);
  const year_month_day date{day};
  const hh_mm_ss time{now - day};
  char text[64];
  std::snprintf(text, sizeof(text), "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()),
                static_cast<int>(time.subseconds().count()));
  return text;
}

void String(rapidjson::Writer<rapidjson::StringBuffer>& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

}  // namespace

Result<std::unique_ptr<AccessLog>> AccessLog::Open(AccessLogOptions options) {
  if (sodium_init() < 0) return Error::Unavailable("access log: libsodium failed to start");
  if (options.path == "-") {
    return std::unique_ptr<AccessLog>(new AccessLog(std::move(options), stderr, false));
  }
  std::FILE* file = std::fopen(options.path.c_str(), "a");
  if (file == nullptr) {
    return Error::Unavailable("access log " + options.path + ": " + std::strerror(errno));
  }
  return std::unique_ptr<AccessLog>(new AccessLog(std::move(options), file, true));
}

AccessLog::AccessLog(AccessLogOptions options, std::FILE* file, bool owns_file)
    : options_(std::move(options)), file_(file), owns_file_(owns_file) {
  if (options_.key.empty()) {
    randombytes_buf(key_, sizeof(key_));
  } else {
    // Any length of configured key: its own hash is the key proper.
    crypto_generichash(key_, sizeof(key_),
                       reinterpret_cast<const unsigned char*>(options_.key.data()),
                       options_.key.size(), nullptr, 0);
  }
  thread_ = std::thread([this] { Run(); });
}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
  if (owns_file_) std::fclose(file_);
  sodium_memzero(key_, sizeof(key_));
}

std::string AccessLog::VisitorHash(std::string_view visitor) const {
  unsigned char hash[kHashBytes];
  crypto_generichash(hash, sizeof(hash), reinterpret_cast<const unsigned char*>(visitor.data()),
                     visitor.size(), key_, sizeof(key_));
  char hex[2 * kHashBytes + 1];
  sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
  return std::string(hex, 2 * kHashBytes);
}

std::function<void(const Response&)> AccessLog::Begin(const Request& request,
                                                      const std::string& route) {
  // What the line needs of the request is written now: the request may be gone by the
  // time an asynchronous handler answers.
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  std::string visitor;
  writer.StartObject();
  writer.Key("time");
  String(writer, IsoTimeNow());
  writer.Key("request_id");
  String(writer, request.request_id);
  writer.Key("method");
  String(writer, request.method);
  writer.Key("path");
  // A route with a parameter is logged as registered ("/profiles/{visitor}"), its value
  // apart: hashed when it is a visitor.
  String(writer, request.path_params.empty() ? request.path : route);
  for (const auto& [name, value] : request.path_params) {
    if (name == kVisitor) {
      visitor = VisitorHash(value);
    } else {
      writer.Key(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
      String(writer, value);
    }
  }
  if (!request.query_params.empty()) {
    writer.Key("query");
    writer.StartObject();
    for (const auto& [name, value] : request.query_params) {
      if (name == kVisitor) {
        visitor = VisitorHash(value);
        continue;
      }
      writer.Key(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
      String(writer, value);
    }
    writer.EndObject();
  }
  if (!visitor.empty()) {
    writer.Key("visitor");
    String(writer, visitor);
  }
  // The object stays open: status, took_ms and bytes follow once answered.
  std::string head(buffer.GetString(), buffer.GetSize());
  const auto start = std::chrono::steady_clock::now();
  return [this, head = std::move(head), start](const Response& response) {
    const double took_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    char tail[96];
    std::snprintf(tail, sizeof(tail), ",\"status\":%d,\"took_ms\":%.3f,\"bytes\":%zu}\n",
                  response.status, took_ms, response.body.size());
    Enqueue(head + tail);
  };
}

void AccessLog::Enqueue(std::string line) {
  // No wake-up: the writer runs on its interval, so a request costs an append under a lock.
  std::lock_guard lock(mutex_);
  if (queued_.size() + line.size() > options_.max_queued_bytes) {
    ++dropped_;
    return;
  }
  queued_ += line;
}

uint64_t AccessLog::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void AccessLog::Flush() {
  std::unique_lock lock(mutex_);
  const uint64_t wanted = ++enqueued_;
  flush_now_ = true;
  wake_.notify_one();
  written_.wait(lock, [&] { return written_count_ >= wanted; });
}

void AccessLog::Run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait_for(lock, std::chrono::milliseconds(options_.flush_interval_ms),
                   [&] { return stop_ || flush_now_; });
    std::string lines;
    lines.swap(queued_);
    const uint64_t covered = enqueued_;
    const bool stopping = stop_;
    flush_now_ = false;
    lock.unlock();
    if (!lines.empty()) {
      std::fwrite(lines.data(), 1, lines.size(), file_);
      std::fflush(file_);
    }
    lock.lock();
    written_count_ = covered;
    written_.notify_all();
    if (stopping) return;
  }
}

}  // namespace tailor::server::http
