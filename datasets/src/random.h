#pragma once
// The random source of the synthetic generators. std::mt19937_64's output is fixed by the
// standard, but std::uniform_int_distribution and std::normal_distribution are not (libstdc++
// and libc++ give different numbers), so the draws are made here, by hand, to keep a seed's
// data set identical on every platform.

#include <cmath>
#include <cstdint>
#include <random>

namespace gnnx::datasets::detail {

class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}

  /// Uniform integer in [lo, hi); requires lo < hi. Unbiased: rejects the few raw draws that
  /// would make some residues more likely than others.
  int64_t uniform_int(int64_t lo, int64_t hi) {
    const uint64_t range = static_cast<uint64_t>(hi - lo);
    const uint64_t threshold = (0 - range) % range;  // 2^64 mod range
    uint64_t draw = engine_();
    while (draw < threshold) draw = engine_();
    return lo + static_cast<int64_t>(draw % range);
  }

  /// Uniform double in [0, 1) from the top 53 bits of one draw.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

  /// Standard normal (Box-Muller; one value per two uniforms, none cached, so a draw never
  /// depends on what an earlier caller left behind).
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]: log(u1) is finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * kPi * u2);
  }

 private:
  static constexpr double kPi = 3.14159265358979323846;
  std::mt19937_64 engine_;
};

}  // namespace gnnx::datasets::detail
