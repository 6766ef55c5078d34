#pragma once
// GNNExplainer's edge-mask parameters and their optimisation step, outside autograd.
//
// Per step, every union edge goes through the same chain: symmetrise the logits, sigmoid, the
// size and entropy regularisers, their backward, and Adam. As separate tensor operations that
// chain is some thirty passes over the edges (a million of them when all 700 BA-Shapes nodes
// are explained together), which cost more than the model's forward and backward. Here it is
// one fused pass per step, with the model's gradient passed in.
//
// A symmetric mask ties edge e and its reverse r: mask_e = mask_r = sigmoid((l_e + l_r) / 2).
// Both logits then receive the same gradient, (d_e + d_r) / 2 with d the derivative with respect
// to the pre-sigmoid value, so Adam moves both by the same step and only their mean matters:
// one parameter per pair, stepped with that gradient, gives the masks of two parameters up to
// float rounding (torch::optim::Adam's update: betas 0.9 / 0.999, eps 1e-8, no weight decay).
// Element-wise over pairs, so the result does not depend on the thread count.

#include <gnnx/gnn/graph.h>

#include <torch/types.h>

#include <vector>

namespace gnnx::explainers::detail {

struct EdgeMaskRegularisers {
  double size = 0;               ///< coefficient of the sum of the mask
  double entropy = 0;            ///< coefficient of Σ_e weight_e · H(mask_e)
  torch::Tensor entropy_weight;  ///< [E] float (see edge_entropy_weights)
};

/// The reverse edge (v -> u) of every edge (u -> v), [E] int64, as an involution: the k-th copy
/// of u -> v is paired with the k-th copy of v -> u, and an edge without a partner (or a
/// self-loop) is its own reverse. A symmetric mask then ties exactly the two edges of a pair.
torch::Tensor reverse_edges(const gnn::Graph& graph);

class EdgeMask {
 public:
  /// logits [E] (one per edge). reverse [E] int64, an involution (reverse[reverse[e]] == e;
  /// an edge that is its own reverse stands alone), or undefined for an unsymmetrised mask.
  /// Throws c10::Error on shapes or a reverse that is not an involution.
  EdgeMask(const torch::Tensor& logits, const torch::Tensor& reverse);

  /// The current mask, [E] float: sigmoid((l_e + l_reverse(e)) / 2), or sigmoid(l_e).
  /// Updated in place by adam_step.
  const torch::Tensor& values() const { return mask_; }

  /// One Adam step at learning rate `lr`. model_grad [E] float: d(prediction loss)/d(mask) at
  /// values(), zero where the model does not read an edge.
  void adam_step(const torch::Tensor& model_grad, const EdgeMaskRegularisers& reg, double lr);

 private:
  int64_t num_edges_ = 0;
  std::vector<int64_t> first_, second_;       ///< per parameter: its edge(s); second_ -1 when alone
  torch::Tensor pre_, exp_avg_, exp_avg_sq_;  ///< per parameter: pre-sigmoid value, Adam state
  torch::Tensor mask_;                        ///< [E]
  int64_t step_ = 0;
};

}  // namespace gnnx::explainers::detail
