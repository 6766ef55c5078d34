#pragma once
// The CUDA products without autograd (LibTorch glue over cuda/spmm_kernels.cuh): what the
// autograd function and the benchmark call.

#include "cuda/cuda_pattern.h"

#include <torch/types.h>

namespace gnnx::gnn::detail {

/// out = diag ⊙ x + A x. Tensors on one CUDA device, float or double; diag may be empty.
/// tile_features: see cuda::spmm (0 = the default).
torch::Tensor spmm_cuda(const CudaCsr& csr, const torch::Tensor& values, const torch::Tensor& diag,
                        const torch::Tensor& x, int64_t tile_features = 0);

struct SpmmGradients {
  torch::Tensor x, values;  ///< undefined when not asked for
};

/// The feature gradient (diag ⊙ g + Aᵀ g) and the value gradient (SDDMM) of spmm_cuda, in one
/// fused pass over the transpose when the width allows.
SpmmGradients spmm_cuda_backward(const CudaCsr& transposed, const torch::Tensor& perm_t,
                                 const torch::Tensor& values, const torch::Tensor& diag,
                                 const torch::Tensor& x, const torch::Tensor& g, bool want_x,
                                 bool want_values);

}  // namespace gnnx::gnn::detail
