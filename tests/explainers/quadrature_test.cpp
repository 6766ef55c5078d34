// Integrated gradients' quadrature rules (explainers/src/gradient/quadrature.h) against closed
// forms: ∫₀¹ αᵏ dα = 1 / (k + 1).

#include <gtest/gtest.h>

#include <cmath>

#include "gradient/quadrature.h"

namespace gnnx::explainers::detail {
namespace {

double integrate_power(const QuadratureRule& rule, int k) {
  double sum = 0;
  for (size_t i = 0; i < rule.points.size(); ++i) {
    sum += rule.weights[i] * std::pow(rule.points[i], k);
  }
  return sum;
}

TEST(QuadratureTest, GaussLegendreIsExactUpToDegreeTwoPointsMinusOne) {
  for (int64_t n : {1, 2, 3, 5, 8, 13, 50}) {
    const QuadratureRule rule = gauss_legendre_rule(n);
    ASSERT_EQ(static_cast<int64_t>(rule.points.size()), n);
    for (size_t i = 0; i < rule.points.size(); ++i) {
      EXPECT_GT(rule.points[i], 0.0);
      EXPECT_LT(rule.points[i], 1.0);
      EXPECT_GT(rule.weights[i], 0.0);
      if (i > 0) {
        EXPECT_GT(rule.points[i], rule.points[i - 1]);
      }
    }
    for (int k = 0; k <= 2 * n - 1 && k <= 60; ++k) {
      EXPECT_NEAR(integrate_power(rule, k), 1.0 / (k + 1), 1e-13) << n << " points, degree " << k;
    }
    if (n <= 5) {  // degree 2n is not exact any more: error (n!)⁴ / ((2n + 1) ((2n)!)²)
      EXPECT_GT(std::abs(integrate_power(rule, 2 * n) - 1.0 / (2 * n + 1)), 1e-8) << n;
    }
  }
}

TEST(QuadratureTest, GaussLegendreHasTheTabulatedThreePointRule) {
  const QuadratureRule rule = gauss_legendre_rule(3);
  const double s = std::sqrt(0.6);
  const double want_points[] = {(1 - s) / 2, 0.5, (1 + s) / 2};
  const double want_weights[] = {5.0 / 18, 8.0 / 18, 5.0 / 18};
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(rule.points[i], want_points[i], 1e-15);
    EXPECT_NEAR(rule.weights[i], want_weights[i], 1e-15);
  }
}

TEST(QuadratureTest, TrapezoidIsExactForLinesOnly) {
  const QuadratureRule rule = trapezoid_rule(4);
  ASSERT_EQ(rule.points.size(), 5u);
  EXPECT_DOUBLE_EQ(rule.weights.front(), 0.125);
  EXPECT_NEAR(integrate_power(rule, 1), 0.5, 1e-15);
  // ∫ α² with h = 1/4: 1/3 + h²/6.
  EXPECT_NEAR(integrate_power(rule, 2), 1.0 / 3 + 1.0 / 96, 1e-15);
}

TEST(QuadratureTest, ManyPointsStillSumToOne) {
  for (int64_t n : {999, 1000, 4096}) {
    double sum = 0;
    for (double w : gauss_legendre_rule(n).weights) sum += w;
    EXPECT_NEAR(sum, 1.0, 1e-12) << n;
  }
}

}  // namespace
}  // namespace gnnx::explainers::detail
