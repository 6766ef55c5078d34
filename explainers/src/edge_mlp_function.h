#pragma once
// PGExplainer's edge MLP, fused: logits of a million edges without a [E, hidden] tensor.
//
// The MLP's first layer on [z_u, z_v, z_i] is a sum of per-node products (a = z W_uᵀ, b = z W_vᵀ,
// c = z W_iᵀ, each [N, H]); per edge what is left is
//   logit_e = Σ_j relu(a[u_e, j] + b[v_e, j] + c[i_e, j] + b1_j) w2_j + b2,
// computed here in one pass over the edges, and its backward in a second pass that recomputes
// the hidden units instead of storing them. As tensor operations the same needs half a dozen
// [E, H] tensors per step (256 MB each at BA-Shapes' million union edges and H = 64).
// The passes are serial (deterministic, the same bits for any thread count); the gradients of
// the node tables and the biases are accumulated in double.

#include <torch/types.h>

namespace gnnx::explainers::detail {

/// logits [E]: a, b [N, H] and c [M, H] or undefined (then no third term), b1 [H], w2 [H], b2
/// [1], all of one floating dtype; src, dst (and tgt with c) [E] int64 rows of a, b (c).
/// Differentiable in a, b, c, b1, w2 and b2. Throws c10::Error on shapes, dtypes and rows out
/// of range.
torch::Tensor edge_mlp_logits(const torch::Tensor& a, const torch::Tensor& b,
                              const torch::Tensor& c, const torch::Tensor& b1,
                              const torch::Tensor& w2, const torch::Tensor& b2,
                              const torch::Tensor& src, const torch::Tensor& dst,
                              const torch::Tensor& tgt);

}  // namespace gnnx::explainers::detail
