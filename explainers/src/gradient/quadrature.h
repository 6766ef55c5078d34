#pragma once
// Quadrature rules on [0, 1] for integrated gradients' path integral ∫₀¹ g(α) dα ≈ Σ_i w_i g(α_i).

#include <cstdint>
#include <vector>

namespace gnnx::explainers::detail {

/// Points α_i in [0, 1] and weights w_i (Σ_i w_i = 1).
struct QuadratureRule {
  std::vector<double> points;
  std::vector<double> weights;
};

/// The trapezoid rule over `intervals` equal intervals: intervals + 1 points k / intervals, end
/// points weighted 1 / (2 intervals), the others 1 / intervals. Exact for linear g; error
/// O(intervals⁻²) for smooth g. Captum's "riemann_trapezoid".
QuadratureRule trapezoid_rule(int64_t intervals);

/// Gauss–Legendre with `points` points (the roots of the Legendre polynomial P_points mapped
/// from [−1, 1] to [0, 1], ascending): exact for polynomials of degree 2 points − 1, error
/// falling faster than any power of points for smooth g (Golub & Welsch 1969; here Newton's
/// method on the three-term recurrence, in double precision). Captum's "gausslegendre".
QuadratureRule gauss_legendre_rule(int64_t points);

}  // namespace gnnx::explainers::detail
