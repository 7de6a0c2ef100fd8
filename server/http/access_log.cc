#include "server/http/access_log.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sodium.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <utility>

namespace tailor::server::http {
namespace {

constexpr std::string_view kVisitor = "visitor";
constexpr size_t kHashBytes = 16;

// UTC with milliseconds from the civil calendar of <chrono>: gmtime_r would take glibc's
// time-zone lock on every request, shared by all io threads. The text up to the second is
// made once a second per thread; a request writes only its milliseconds.
void AppendIsoTimeNow(std::string& out) {
  using namespace std::chrono;
  struct Second {
    sys_seconds at{};
    char text[64] = {};  // "2026-12-02T17:10:00."
  };
  thread_local Second second;
  const auto now = floor<milliseconds>(system_clock::now());
  const auto at = floor<seconds>(now);
  if (at != second.at || second.text[0] == 0) {
    const auto day = floor<days>(at);
    const year_month_day date{day};
    const hh_mm_ss time{at - day};
    std::snprintf(second.text, sizeof(second.text), "%04d-%02u-%02uT%02d:%02d:%02d.",
                  static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
                  static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    second.at = at;
  }
  const int ms = static_cast<int>((now - at).count());
  const char digits[4] = {static_cast<char>('0' + ms / 100), static_cast<char>('0' + ms / 10 % 10),
                          static_cast<char>('0' + ms % 10), 'Z'};
  out.append(second.text).append(digits, 4);
}

void String(rapidjson::Writer<rapidjson::StringBuffer>& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

// Copies a literal's characters to `at`; returns the end. Requires: room for them.
template <size_t N>
char* Append(char* at, const char (&literal)[N]) {
  std::memcpy(at, literal, N - 1);
  return at + N - 1;
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
  // One buffer per io thread: a request's line costs no allocation but the head's own.
  thread_local rapidjson::StringBuffer buffer;
  thread_local std::string time;
  buffer.Clear();
  time.clear();
  AppendIsoTimeNow(time);
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  std::string visitor;
  writer.StartObject();
  writer.Key("time");
  String(writer, time);
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
    // ,"status":200,"took_ms":1.234,"bytes":5120}\n with <charconv>, not printf's locale.
    char tail[96];
    char* end = tail + sizeof(tail);
    char* at = Append(tail, ",\"status\":");
    at = std::to_chars(at, end, response.status).ptr;
    at = Append(at, ",\"took_ms\":");
    at = std::to_chars(at, end, took_ms, std::chars_format::fixed, 3).ptr;
    at = Append(at, ",\"bytes\":");
    at = std::to_chars(at, end, response.body.size()).ptr;
    at = Append(at, "}\n");
    Enqueue(head, std::string_view(tail, static_cast<size_t>(at - tail)));
  };
}

void AccessLog::Enqueue(std::string_view head, std::string_view tail) {
  // No wake-up: the writer runs on its interval, so a request costs an append under a lock.
  std::lock_guard lock(mutex_);
  if (queued_.size() + head.size() + tail.size() > options_.max_queued_bytes) {
    ++dropped_;
    return;
  }
  queued_.append(head).append(tail);
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
    // The two buffers trade places, so neither grows again after the first intervals.
    std::string& lines = spare_;
    lines.swap(queued_);
    const uint64_t covered = enqueued_;
    const bool stopping = stop_;
    flush_now_ = false;
    lock.unlock();
    if (!lines.empty()) {
      std::fwrite(lines.data(), 1, lines.size(), file_);
      std::fflush(file_);
      lines.clear();
    }
    lock.lock();
    written_count_ = covered;
    written_.notify_all();
    if (stopping) return;
  }
}

}  // namespace tailor::server::http
