#pragma once
// Attributions that split the explained logit (or its change) between the inputs: DeepLIFT's
// rescale rule and Shapley value sampling, as Captum computes them for PyTorch Geometric users,
// and layer-wise relevance propagation (LRP, at the end of the file). All three are members of
// the gradient family (gradient_methods.h: batching, notation, edge mask w) and reach the model
// only through its interface (models.h, model_hooks.h).
//
// DeepLIFT and Shapley sampling play two separate games, as integrated gradients does: the node
// features against the zero features with every edge present, and the edges against the empty edge
// mask with the features as they are. Each game's attributions add up to its own logit difference
//   nodes:  y_c(X, w = 1) − y_c(0, w = 1)        edges:  y_c(X, w = 1) − y_c(X, w = 0)
// (exactly for Shapley sampling and for DeepLIFT's nodes; DeepLIFT's edges see the note on the
// class). Signed; logits, not probabilities.
//
// Sources:
//   deeplift          Shrikumar, Greenside, Kundaje: "Learning Important Features Through
//                     Propagating Activation Differences", ICML 2017 (rescale rule)
//   shapley-sampling  Štrumbelj & Kononenko: "An Efficient Explanation of Individual
//                     Classifications using Game Theory", JMLR 2010 (permutation sampling)
//   lrp               Bach, Binder, Montavon, Klauschen, Müller, Samek, PLoS ONE 2015;
//                     Baldassarre & Azizpour: "Explainability Techniques for Graph
//                     Convolutional Networks", ICML 2019 workshop (on graph networks)

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

struct LrpOptions {
  /// αβ with α = 1 by default: on BA-Shapes, Tree-Cycles and BA-2Motifs (seed 0) its edge AUC
  /// was 0.975, 0.768 and 0.969, against the ε-rule's 0.932, 0.369 and 0.298 at ε = 1e-6
  /// (input × gradient's maps; 0.570, 0.442, 0.407 at ε = 0.25) and α = 2's 0.396, 0.419, 0.595.
  TORCH_ARG(LrpRule, rule) = LrpRule::kAlphaBeta;
  /// The ε-rule's stabiliser: small keeps relevance conserved (ε = 0 with zero biases: exactly);
  /// larger absorbs the relevance of weak, noisy contributions.
  TORCH_ARG(double, epsilon) = 1e-6;
  /// The αβ-rule's α >= 1 (β = α − 1): 1 keeps only positive contributions (LRP-α1β0, which on
  /// bias-free ReLU networks with non-negative inputs is excitation backprop).
  TORCH_ARG(double, alpha) = 1;
  /// The γ-rule's γ >= 0: each contribution counts c + γ c⁺ (0 is LRP-0; large γ approaches
  /// α1β0). 1 by default, the value of DIG's GNN-LRP on every stage past the first layer
  /// (relevance_rules.h; GnnLrp's class comment says why one γ everywhere).
  TORCH_ARG(double, gamma) = 1;

 public:
  /// lrp-rule, epsilon, alpha and gamma from the shared options (unset keeps the default).
  static LrpOptions from(const MethodOptions& options);
};

/// Layer-wise relevance propagation (Bach et al. 2015) on graph networks as Baldassarre &
/// Azizpour ("Explainability Techniques for Graph Convolutional Networks", 2019) apply it,
/// "lrp". The explained logit y_c is the relevance at the output; each linear stage hands its
/// outputs' relevance to its inputs by the ε-, αβ- or γ-rule (relevance_rules.h, written out
/// there), ReLUs pass it on unchanged:
///   head      its dense layers, biases in the denominators;
///   readout   sum and mean: in proportion to each node's row (the rule on coefficients 1 or
///             1/N_t); max: the arg-max node (ties shared as the model's backward shares them)
///   layers    top-down, each as its linear paths (LayerPaths, the layer's own coefficients:
///             GCN's normalised or raw propagation, SAGE's 1/deg, GAT's attention held fixed,
///             GIN's 1 + ε and MLP, GINE's message ReLU(x_j + e Lᵀ + b) whose relevance splits
///             between x_j and the edge's features), with the layer's bias in z
///   node n:    Σ_f R_nf, the relevance of its input features (signed)
///   edge e:    the relevance that flows through e's message, summed over the layers (for GINE
///              including the part that ends in e's features)
///   features:  R_nf summed over the target's nodes (Explanation::feature_mask)
/// Conservation: Σ_n R_n (+ GINE's edge-feature relevance) = y_c − what biases and ε absorb;
/// each explanation reports that remainder (diagnostics "relevance_absorbed", with
/// "explained_logit"). With ε = 0 (or α = 1 and β = 0) and zero biases nothing is absorbed.
/// Applies to every gnnx layer type and head; the row normalisations (GCN's L2 embedding norm,
/// SAGE's normalize) are positive scales that relevance passes unchanged. Float64, CPU.
class Lrp : public GradientExplainer {
 public:
  explicit Lrp(LrpOptions options = {}, TargetOptions target = {});
  std::string name() const override { return "lrp"; }

 protected:
  void check_model(const gnn::GnnModel& model) const override;
  Attribution attribute(gnn::GnnModel& model, const TargetBatch& batch,
                        const torch::Tensor& classes, const ChunkProgress& progress) const override;

 private:
  LrpOptions options_;
};

}  // namespace gnnx::explainers
