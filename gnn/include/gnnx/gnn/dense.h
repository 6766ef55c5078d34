#pragma once
// Dense products whose results do not depend on the thread count. OpenBLAS splits reductions
// differently with different thread counts (measured here: a 2000x16 by 16x16 product differs
// in the last bits between 1 and 3 threads), which would make a trained model depend on
// --threads. These kernels give every output element one fixed summation order.

#include <gnnx/gnn/torch_fwd.h>

namespace gnnx::gnn {

/// x [N, K] @ weight [K, M] -> [N, M], differentiable in both (custom autograd: dx = g Wᵀ row by
/// row, dW = xᵀ g summed over fixed 256-row chunks in order). float or double. On CUDA
/// tensors this is cuBLAS (torch::matmul).
torch::Tensor dense_matmul(const torch::Tensor& x, const torch::Tensor& weight);

/// x @ weightᵀ + bias, the torch::nn::Linear convention (weight [M, K], bias [M] or undefined).
torch::Tensor dense_linear(const torch::Tensor& x, const torch::Tensor& weight,
                           const torch::Tensor& bias = {});

}  // namespace gnnx::gnn
