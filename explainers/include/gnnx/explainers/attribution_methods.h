#pragma once
// Attributions that split the explained logit's change between the inputs, as Captum computes
// them for PyTorch Geometric users: DeepLIFT's rescale rule and Shapley value sampling. Both
// are members of the gradient family (gradient_methods.h: batching, notation, edge mask w) and
// reach the model only through its interface (models.h, model_hooks.h).
//
// Both play two separate games, as integrated gradients does: the node features against the
// zero features with every edge present, and the edges against the empty edge mask with the
// features as they are. Each game's attributions add up to its own logit difference
//   nodes:  y_c(X, w = 1) − y_c(0, w = 1)        edges:  y_c(X, w = 1) − y_c(X, w = 0)
// (exactly for Shapley sampling and for DeepLIFT's nodes; DeepLIFT's edges see the note on the
// class). Signed; logits, not probabilities.
//
// Sources:
//   deeplift          Shrikumar, Greenside, Kundaje: "Learning Important Features Through
//                     Propagating Activation Differences", ICML 2017 (rescale rule)
//   shapley-sampling  Štrumbelj & Kononenko: "An Efficient Explanation of Individual
//                     Classifications using Game Theory", JMLR 2010 (permutation sampling)

#include <gnnx/explainers/gradient_methods.h>

#include <string>

namespace gnnx::explainers {

/// DeepLIFT with the rescale rule (Shrikumar et al. 2017), "deeplift", zero reference. Each
/// unit's multiplier m = Δy_c/Δz against its value in the reference pass; each ReLU passes
/// ΔReLU(z)/Δz (ReluRule::kRescale: the plain gradient where |Δz| < 1e-10, as Captum's
/// DeepLift), the linear layers, the message passing and a mean or sum readout pass it exactly
/// (they are linear in the features). One forward and one backward pass over the input and its
/// reference stacked (stack_copies) per game:
///   node n:  Σ_f m_nf · (X_nf − 0)        with w = 1 in both passes:
///            Σ_n node = y_c(X, 1) − y_c(0, 1) up to float rounding (summation-to-delta)
///   edge e:  m_e · (1 − 0)                with the features X in both passes
/// The edges' sum is exact for one message-passing layer. Deeper, the mask multiplies messages
/// whose inputs change with it too (a product, not a linear map), and that product passes its
/// gradient, as it does in Captum's DeepLift (the gap Captum returns as its convergence delta).
/// Each explanation reports both gaps (Explanation::diagnostics, "summation_gap_nodes" and
/// "summation_gap_edges": the sum minus the logit difference).
/// Applies where every nonlinearity is a ReLU or linear: gcn (without embedding_norm), gin,
/// gine, graphconv and sage layers, node classifiers and graph classifiers with a mean or sum
/// readout. Throws InputError "deeplift does not apply to ...: why" for gat (the attention's
/// softmax and LeakyReLU have no rescale rule here), L2 embedding normalisation and max readout.
class DeepLift : public GradientExplainer {
 public:
  explicit DeepLift(TargetOptions target = {});
  std::string name() const override { return "deeplift"; }

 protected:
  void check_model(const gnn::GnnModel& model) const override;
  Attribution attribute(gnn::GnnModel& model, const TargetBatch& batch,
                        const torch::Tensor& classes, const ChunkProgress& progress) const override;
};

struct ShapleySamplingOptions {
  /// Permutations per game (Captum's ShapleyValueSampling n_samples).
  TORCH_ARG(int64_t, samples) = 25;
  TORCH_ARG(uint64_t, seed) = 0;
  /// Every permutation of each part's players instead of `samples` random ones (Captum's
  /// ShapleyValues): the exact Shapley values, for parts of at most kMaxExhaustivePlayers
  /// players (n! permutations); InputError for larger ones.
  TORCH_ARG(bool, exhaustive) = false;

 public:
  static constexpr int64_t kMaxExhaustivePlayers = 8;
  /// samples and seed from the shared options (unset keeps the default).
  static ShapleySamplingOptions from(const MethodOptions& options);
};

/// Shapley value sampling (Štrumbelj & Kononenko 2010; the semantics of Captum's
/// ShapleyValueSampling), "shapley-sampling". Two games per target, the players each part's
/// nodes and its edges, the value y_c of a coalition S:
///   nodes:  y_c(X with the rows of nodes outside S set to 0, w = 1)    (Captum on a feature
///           mask grouping each node's features: an absent player takes the baseline 0; its
///           edges stay, so it still passes its neighbours' messages on)
///   edges:  y_c(X, w_e = [e ∈ S])
/// For each of `samples` random permutations π of the players (drawn per target from (seed,
/// target): the same map whatever the batch or thread count), each player earns its marginal
///   y_c(players before it in π, and it) − y_c(players before it in π),
/// averaged over the permutations. Each permutation's contributions add up to y_c(all) −
/// y_c(none) exactly (efficiency), so their average does too. The n + 1 coalitions of one
/// permutation (the empty one, then one player more at a time) are evaluated as copies of the
/// part side by side (stack_copies) in one forward pass, or a few when the copies of the whole
/// union would pass kMaxElementsPerPass rows and edges. Node classifiers play only the edges some
/// layer reads (LayerPlan); the others change no coalition's value and score exactly 0. Cost
/// per game: samples × (max players per part + 1) copies of the union, forward passes only.
class ShapleySampling : public GradientExplainer {
 public:
  /// Rows plus edges of one pass's copies. Small enough that a pass's tensors (tens of MB) come
  /// from the allocator's reused memory: at 2^21 every pass faulted in fresh pages, and BA-Shapes'
  /// 60 targets took 276 s instead of 31 s (busy 2-core machine, same values).
  static constexpr int64_t kMaxElementsPerPass = int64_t{1} << 18;
  explicit ShapleySampling(ShapleySamplingOptions options = {}, TargetOptions target = {});
  std::string name() const override { return "shapley-sampling"; }

 protected:
  Attribution attribute(gnn::GnnModel& model, const TargetBatch& batch,
                        const torch::Tensor& classes, const ChunkProgress& progress) const override;

 private:
  ShapleySamplingOptions options_;
};

}  // namespace gnnx::explainers
