// Exponential time decay: weights that halve every half-life, added to in any time order.
// The visitor profiles and the shop's item popularity count events with it.
//
// Values are plain data; a Decay is immutable and thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>

namespace tailor {

// A weight that halves every half-life: value(T) = weight * 2^(-(T - t) / half_life).
struct Decayed {
  float weight = 0;
  uint32_t t = 0;  // seconds since the epoch
};

// Epoch milliseconds as the seconds Decayed::t holds (clamped to its range).
inline uint32_t Seconds(int64_t ms) {
  return static_cast<uint32_t>(std::clamp<int64_t>(ms / 1000, 0, 0xffffffffLL));
}

// Decay arithmetic shared by the profile, its view and item popularity.
class Decay {
 public:
  explicit Decay(double half_life_hours) : seconds_(half_life_hours * 3600.0) {}
  // The value of d at time t (no decay for t before d.t).
  double At(const Decayed& d, uint32_t t) const;
  // Adds `amount` happening at time t, exactly as if the events were applied in time
  // order; the result is clamped at 0.
  void Add(Decayed& d, double amount, uint32_t t) const;
  double Factor(double seconds) const;

 private:
  double seconds_;
};

}  // namespace tailor
