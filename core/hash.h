// The one string hash Tailor uses where a hash must be stable across runs and machines
// (variant splits, exploration seeds, simulator streams): 64-bit FNV-1a; and the one mix of
// 64-bit integers (request ids, address hashes, simulator streams): splitmix64's finalizer.
#pragma once

#include <cstdint>
#include <string_view>

namespace tailor {

// 64-bit FNV-1a of the bytes of text. Its high bits mix poorly for short keys that differ
// only at the end; put it through a finalizer (e.g. MurmurHash3's) before taking a fraction.
constexpr uint64_t Fnv1a64(std::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return hash;
}

// splitmix64's finalizer: a bijection on 64-bit integers in which every input bit reaches
// every output bit, so distinct counters give distinct values that look unrelated.
constexpr uint64_t MixBits64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Fnv1a64 through MurmurHash3's 64-bit finalizer: every bit depends on every byte, so its
// high bits and its remainders are well spread even for keys that differ only at the end
// ("v1", "v2"). For variant splits and catalog shards; changing it moves both.
constexpr uint64_t MixedFnv1a64(std::string_view text) {
  uint64_t hash = Fnv1a64(text);
  hash ^= hash >> 33;
  hash *= 0xff51afd7ed558ccdULL;
  hash ^= hash >> 33;
  hash *= 0xc4ceb9fe1a85ec53ULL;
  hash ^= hash >> 33;
  return hash;
}

}  // namespace tailor
