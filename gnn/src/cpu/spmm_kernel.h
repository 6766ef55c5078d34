#pragma once
// CPU kernels of the CSR sparse-dense product and its gradients. Each output row is computed by
// one thread, summing its entries in CSR order, so results do not depend on the thread count.

#include <torch/types.h>

#include <functional>

namespace gnnx::gnn::detail {

/// out[i] = diag[i] * x[i] + sum_{k in row i} values[k] * x[col[k]].
/// rowptr [R+1], col [nnz] int64; values [nnz], diag [R] or empty (no self term), x [C, F];
/// out [R, F].
void spmm_cpu(const torch::Tensor& rowptr, const torch::Tensor& col, const torch::Tensor& values,
              const torch::Tensor& diag, const torch::Tensor& x, torch::Tensor& out);

/// Sampled dense-dense product: grad_values[k] = <g[i], x[col[k]]> for every entry k of row i,
/// and grad_diag[i] = <g[i], x[i]> (an undefined output is skipped).
void sddmm_cpu(const torch::Tensor& rowptr, const torch::Tensor& col, const torch::Tensor& g,
               const torch::Tensor& x, torch::Tensor& grad_values, torch::Tensor& grad_diag);

/// Runs body(i) for rows 0..num_rows-1 in chunks of about equal work (entries + rows), so that a
/// power-law hub does not leave one thread with most of the edges. Small problems run inline.
void for_each_row_balanced(const int64_t* rowptr, int64_t num_rows, int64_t width,
                           const std::function<void(int64_t, int64_t)>& rows_body);

}  // namespace gnnx::gnn::detail
