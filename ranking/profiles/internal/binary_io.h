// Little helpers to write and read the binary snapshot format of profiles: fixed-width
// little-endian integers and floats, and length-prefixed strings. The reader never reads
// past its input and reports where it stopped ("snapshot: truncated at byte N").
#pragma once

#include <cstdint>
#include <cstring>
#include <istream>
#include <ostream>
#include <string>
#include <type_traits>

namespace tailor::ranking::internal {

class BinaryWriter {
 public:
  explicit BinaryWriter(std::ostream& out) : out_(out) {}
  template <typename T>
  void Put(T value) {
    static_assert(std::is_arithmetic_v<T>);
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));  // the format is little-endian, as the hosts we run on
    out_.write(bytes, sizeof(T));
  }
  void PutString(const std::string& text) {
    Put<uint32_t>(static_cast<uint32_t>(text.size()));
    out_.write(text.data(), static_cast<std::streamsize>(text.size()));
  }

 private:
  std::ostream& out_;
};

class BinaryReader {
 public:
  explicit BinaryReader(std::istream& in) : in_(in) {}
  // Each Get returns false (and stays false) once the input ended early.
  template <typename T>
  bool Get(T& value) {
    static_assert(std::is_arithmetic_v<T>);
    char bytes[sizeof(T)];
    if (!Read(bytes, sizeof(T))) return false;
    std::memcpy(&value, bytes, sizeof(T));
    return true;
  }
  bool GetString(std::string& text, uint32_t max_bytes = 1 << 20) {
    uint32_t size = 0;
    if (!Get(size) || size > max_bytes) return ok_ = false;
    text.resize(size);
    return Read(text.data(), size);
  }
  bool ok() const { return ok_; }
  uint64_t offset() const { return offset_; }

 private:
  bool Read(char* bytes, size_t size) {
    if (!ok_) return false;
    in_.read(bytes, static_cast<std::streamsize>(size));
    if (static_cast<size_t>(in_.gcount()) != size) return ok_ = false;
    offset_ += size;
    return true;
  }
  std::istream& in_;
  uint64_t offset_ = 0;
  bool ok_ = true;
};

}  // namespace tailor::ranking::internal
