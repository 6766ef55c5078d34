#pragma once
// Pearson's chi-square test of independence of two discrete variables, as PGM-Explainer runs it
// (pgmpy's CITests.chi_square with no conditioning set, which is scipy's chi2_contingency):
// the contingency table of the levels each variable takes in the data, expected counts from its
// margins, (rows − 1)(columns − 1) degrees of freedom, Yates' continuity correction when that is
// 1, and the p-value from the chi-square distribution's survival function.

#include <cstdint>
#include <vector>

namespace gnnx::explainers::detail {

/// The outcome of one test.
struct ChiSquareResult {
  double statistic = 0;  ///< Pearson's X² (Yates-corrected for one degree of freedom)
  int64_t dof = 0;       ///< (levels of x − 1)(levels of y − 1)
  double p_value = 1;    ///< P(X² ≥ statistic) under independence; 1 with no degree of freedom
};

/// P(X ≥ x) for X chi-square distributed with `dof` degrees of freedom: the regularised upper
/// incomplete gamma function Q(dof / 2, x / 2) (Boost.Math). 1 for dof = 0 or x <= 0.
double chi_square_survival(double x, int64_t dof);

/// The test on a contingency table of counts, rows[i][j] = how often x took level i and y level
/// j; rows or columns that sum to 0 are dropped first (levels never observed), as a table built
/// from the data has none. Throws c10::Error for a ragged table or a negative count.
ChiSquareResult chi_square_test(const std::vector<std::vector<double>>& table);

/// The test on paired observations x[s], y[s] (any integer codes): their contingency table,
/// then chi_square_test. Throws c10::Error when the lengths differ.
ChiSquareResult chi_square_test(const std::vector<int64_t>& x, const std::vector<int64_t>& y);

}  // namespace gnnx::explainers::detail
