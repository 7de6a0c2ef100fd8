#include "core/decay.h"

#include <cmath>

namespace tailor {

double Decay::Factor(double seconds) const { return std::exp2(-seconds / seconds_); }

double Decay::At(const Decayed& d, uint32_t t) const {
  return t <= d.t ? d.weight : d.weight * Factor(static_cast<double>(t - d.t));
}

void Decay::Add(Decayed& d, double amount, uint32_t t) const {
  double weight = d.weight;
  if (t >= d.t) {
    weight = weight * Factor(static_cast<double>(t - d.t)) + amount;
    d.t = t;
  } else {
    weight += amount * Factor(static_cast<double>(d.t - t));
  }
  d.weight = static_cast<float>(std::max(0.0, weight));
}

}  // namespace tailor
