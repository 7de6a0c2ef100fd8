// A small, portable random number generator for the shopper simulator.
//
// The standard library's distributions are implementation-defined, so a simulation seeded
// the same way could differ between standard libraries; these are fixed formulas over
// SplitMix64, so a seed means the same visitors and the same behaviour everywhere. Every
// random decision draws from a stream named by a few integers (seed, visitor, session,
// search, purpose) rather than from one shared generator: a visitor behaves the same whatever
// the number of threads, and two runs with the same seed pose the same queries to two
// ranking variants.
#pragma once

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "core/hash.h"

namespace tailor::simulator {

// SplitMix64's step and finalizer: a bijective mix of 64 bits.
inline uint64_t Mix64(uint64_t x) { return MixBits64(x + 0x9e3779b97f4a7c15ULL); }

// Combines the names of a stream into one seed.
inline uint64_t StreamSeed(std::initializer_list<uint64_t> parts) {
  uint64_t h = 0x5151f00dULL;
  for (uint64_t part : parts) h = Mix64(h ^ Mix64(part));
  return h;
}

// FNV-1a of a string, to name streams by text (item ids, purposes).
inline uint64_t HashText(std::string_view text) { return Fnv1a64(text); }

// Uniform in [0, 1) from 64 random bits.
inline double ToUnit(uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

// A standard normal from two 64-bit words (Box-Muller).
inline double ToNormal(uint64_t a, uint64_t b) {
  const double u1 = 1.0 - ToUnit(a);  // (0, 1]
  const double u2 = ToUnit(b);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

// Not thread-safe; each thread or visitor makes its own.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return Mix64(state_);
  }
  // Uniform in [0, 1).
  double Uniform() { return ToUnit(Next()); }
  // True with probability p.
  bool Bernoulli(double p) { return Uniform() < p; }
  double Normal() {
    const uint64_t a = Next();
    return ToNormal(a, Next());
  }
  // Uniform integer in [lo, hi]. Requires: lo <= hi.
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Uniform() * static_cast<double>(hi - lo + 1));
  }
  // An index drawn with probability proportional to weights[i]; -1 when all are <= 0.
  int Weighted(const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) total += w > 0 ? w : 0;
    if (total <= 0) return -1;
    double target = Uniform() * total;
    int last = -1;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (weights[i] <= 0) continue;
      last = static_cast<int>(i);
      if (target < weights[i]) return last;
      target -= weights[i];
    }
    return last;
  }

 private:
  uint64_t state_;
};

}  // namespace tailor::simulator
