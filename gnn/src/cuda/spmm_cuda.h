#pragma once
// The CUDA path of csr_spmm as the rest of gnnx sees it: no CUDA headers here, so that a build
// without the toolkit compiles every caller (cuda/no_cuda.cpp then answers with a clear error).

#include <torch/types.h>

#include <memory>

namespace gnnx::gnn::detail {

struct CudaPattern;

/// out = diag ⊙ x + A x, differentiable in values, diag and x like spmm_autograd on the CPU.
/// Tensors on one CUDA device, float or double.
torch::Tensor spmm_autograd_cuda(std::shared_ptr<const CudaPattern> pattern,
                                 const torch::Tensor& values, const torch::Tensor& diag,
                                 const torch::Tensor& x);

/// Number of CUDA devices gnnx's kernels can use: 0 without a GPU, a driver or a CUDA build.
int cuda_device_count();

}  // namespace gnnx::gnn::detail
