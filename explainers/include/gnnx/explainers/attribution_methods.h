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

}  // namespace gnnx::explainers
