#pragma once
// Autograd of the CSR sparse-dense product (see csr_spmm in gcn_adjacency.h).
//   forward:  out = diag ⊙ x + A x,          A given by (rowptr, col, values)
//   backward: dx = diag ⊙ g + Aᵀ g            (over the cached transpose: no atomics)
//             dvalues[k] = <g[row k], x[col k]>, ddiag[i] = <g[i], x[i]>   (SDDMM)

#include <torch/types.h>

namespace gnnx::gnn::detail {

/// The sparsity pattern in both orientations. perm_t maps each entry of the transpose to the
/// entry of the forward CSR that holds the same edge.
struct SpmmPattern {
  torch::Tensor rowptr, col;              ///< forward CSR (rows = outputs)
  torch::Tensor rowptr_t, col_t, perm_t;  ///< its transpose
};

torch::Tensor spmm_autograd(const SpmmPattern& pattern, const torch::Tensor& values,
                            const torch::Tensor& diag, const torch::Tensor& x);

}  // namespace gnnx::gnn::detail
