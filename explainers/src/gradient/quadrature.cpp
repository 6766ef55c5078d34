// Quadrature rules for integrated gradients (quadrature.h).

#include "quadrature.h"

#include <c10/util/Exception.h>

#include <algorithm>
#include <cmath>

namespace gnnx::explainers::detail {
namespace {

constexpr double kPi = 3.14159265358979323846;

}  // namespace

QuadratureRule trapezoid_rule(int64_t intervals) {
  TORCH_CHECK(intervals >= 1, "trapezoid_rule: intervals must be >= 1, got ", intervals);
  QuadratureRule rule;
  const double m = static_cast<double>(intervals);
  for (int64_t k = 0; k <= intervals; ++k) {
    rule.points.push_back(static_cast<double>(k) / m);
    rule.weights.push_back((k == 0 || k == intervals ? 0.5 : 1.0) / m);
  }
  return rule;
}

QuadratureRule gauss_legendre_rule(int64_t points) {
  TORCH_CHECK(points >= 1, "gauss_legendre_rule: points must be >= 1, got ", points);
  const int64_t n = points;
  QuadratureRule rule;
  rule.points.assign(n, 0.0);
  rule.weights.assign(n, 0.0);
  // The roots of P_n are symmetric about 0: find the upper half (x > 0) by Newton's method from
  // Tricomi's estimate cos(π (i + 3/4) / (n + 1/2)), which converges to the i-th largest root.
  for (int64_t i = 0; i < (n + 1) / 2; ++i) {
    double x = std::cos(kPi * (static_cast<double>(i) + 0.75) / (static_cast<double>(n) + 0.5));
    double dp = 0;
    for (int iteration = 0; iteration < 100; ++iteration) {
      // P_n(x) and P_{n−1}(x) by (k + 1) P_{k+1} = (2k + 1) x P_k − k P_{k−1}.
      double p = 1, p_prev = 0;
      for (int64_t k = 0; k < n; ++k) {
        const double p_next =
            ((2.0 * static_cast<double>(k) + 1.0) * x * p - static_cast<double>(k) * p_prev) /
            (static_cast<double>(k) + 1.0);
        p_prev = p;
        p = p_next;
      }
      dp = static_cast<double>(n) * (x * p - p_prev) / (x * x - 1.0);  // P_n'(x)
      const double step = p / dp;
      x -= step;
      if (std::abs(step) <= 1e-16 * std::max(1.0, std::abs(x))) break;
    }
    // Weight on [−1, 1]: 2 / ((1 − x²) P_n'(x)²); on [0, 1] half of it, at (1 ± x) / 2.
    const double w = 1.0 / ((1.0 - x * x) * dp * dp);
    rule.points[n - 1 - i] = 0.5 * (1.0 + x);
    rule.points[i] = 0.5 * (1.0 - x);
    rule.weights[n - 1 - i] = w;
    rule.weights[i] = w;
  }
  return rule;
}

}  // namespace gnnx::explainers::detail
