#include "chi_square.h"

#include <c10/util/Exception.h>
#include <boost/math/special_functions/gamma.hpp>

#include <algorithm>
#include <cmath>
#include <map>

namespace gnnx::explainers::detail {

double chi_square_survival(double x, int64_t dof) {
  TORCH_CHECK(dof >= 0, "chi_square_survival: negative degrees of freedom ", dof);
  if (dof == 0 || !(x > 0)) return 1.0;
  if (std::isinf(x)) return 0.0;
  return boost::math::gamma_q(static_cast<double>(dof) / 2.0, x / 2.0);
}

ChiSquareResult chi_square_test(const std::vector<std::vector<double>>& table) {
  const size_t cols = table.empty() ? 0 : table[0].size();
  std::vector<double> row_sum, col_sum(cols, 0.0);
  for (const auto& row : table) {
    TORCH_CHECK(row.size() == cols, "chi_square_test: ragged table (a row of ", row.size(),
                " counts, the first has ", cols, ")");
    double s = 0;
    for (size_t j = 0; j < cols; ++j) {
      TORCH_CHECK(row[j] >= 0, "chi_square_test: negative count ", row[j]);
      s += row[j];
      col_sum[j] += row[j];
    }
    row_sum.push_back(s);
  }
  // Levels never observed are no levels: scipy's table, built from the data, has none.
  std::vector<size_t> kept_rows, kept_cols;
  for (size_t i = 0; i < table.size(); ++i) {
    if (row_sum[i] > 0) kept_rows.push_back(i);
  }
  for (size_t j = 0; j < cols; ++j) {
    if (col_sum[j] > 0) kept_cols.push_back(j);
  }
  ChiSquareResult out;
  if (kept_rows.size() < 2 || kept_cols.size() < 2) return out;  // a constant: no evidence
  out.dof = static_cast<int64_t>((kept_rows.size() - 1) * (kept_cols.size() - 1));
  double total = 0;
  for (size_t i : kept_rows) total += row_sum[i];
  // Yates' correction, as scipy applies it: each |O − E| shrunk by 0.5 (not past 0).
  const bool yates = out.dof == 1;
  for (size_t i : kept_rows) {
    for (size_t j : kept_cols) {
      const double expected = row_sum[i] * col_sum[j] / total;
      double diff = table[i][j] - expected;
      if (yates) diff = std::copysign(std::max(0.0, std::abs(diff) - 0.5), diff);
      out.statistic += diff * diff / expected;
    }
  }
  out.p_value = chi_square_survival(out.statistic, out.dof);
  return out;
}

ChiSquareResult chi_square_test(const std::vector<int64_t>& x, const std::vector<int64_t>& y) {
  TORCH_CHECK(x.size() == y.size(), "chi_square_test: ", x.size(), " observations of x but ",
              y.size(), " of y");
  // Levels in ascending code order (the order does not change the statistic).
  std::map<int64_t, size_t> x_level, y_level;
  for (int64_t v : x) x_level.emplace(v, 0);
  for (int64_t v : y) y_level.emplace(v, 0);
  size_t k = 0;
  for (auto& [code, index] : x_level) index = k++;
  k = 0;
  for (auto& [code, index] : y_level) index = k++;
  std::vector<std::vector<double>> table(x_level.size(), std::vector<double>(y_level.size(), 0.0));
  for (size_t s = 0; s < x.size(); ++s) table[x_level[x[s]]][y_level[y[s]]] += 1;
  return chi_square_test(table);
}

}  // namespace gnnx::explainers::detail
