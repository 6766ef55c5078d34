#pragma once
// Row-parallel dense kernels with a fixed summation order (see gnnx/gnn/dense.h).

#include <torch/types.h>

namespace gnnx::gnn::detail {

/// out [N, M] = a [N, K] @ b [K, M]; each output row by one thread.
void matmul_rows_cpu(const torch::Tensor& a, const torch::Tensor& b, torch::Tensor& out);

/// out [K, M] = aᵀ [K, N] @ g [N, M], summed over fixed chunks of rows, chunks added in order.
void matmul_tn_cpu(const torch::Tensor& a, const torch::Tensor& g, torch::Tensor& out);

}  // namespace gnnx::gnn::detail
