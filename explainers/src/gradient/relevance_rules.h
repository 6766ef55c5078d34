#pragma once
// Layer-wise relevance propagation's rules for one linear stage (Bach, Binder, Montavon,
// Klauschen, Müller, Samek: "On Pixel-Wise Explanations for Non-Linear Classifier Decisions by
// Layer-Wise Relevance Propagation", PLoS ONE 2015; the notation of Montavon, Binder,
// Lapuschkin, Samek, Müller: "Layer-Wise Relevance Propagation: An Overview", 2019).
//
// A stage is any map z = M(a) + b that is linear in its inputs a (a dense layer, a graph
// convolution's propagation and weights, a readout), written once as a function of its inputs
// and of which part of its weights to use. The rules hand the relevance R_k of each output
// z_k to the inputs a_j in proportion to their contributions c_jk = a_j M_jk:
//   ε:   R_j = Σ_k c_jk / (z_k + ε·sign(z_k)) · R_k                  (z_k with the bias)
//   αβ:  R_j = Σ_k ( α c⁺_jk / z⁺_k − β c⁻_jk / z⁻_k ) · R_k,  α − β = 1,
//        z⁺_k = Σ_j c⁺_jk + b⁺_k,  z⁻_k = Σ_j c⁻_jk + b⁻_k  (c⁺ = max(c, 0), c⁻ = min(c, 0)),
//        and where one side is empty (z⁻_k = 0 or z⁺_k = 0: a readout, GIN's sum, all inputs
//        and weights positive) the other side takes R_k in proportion, (α, β) = (1, 0) or
//        (0, −1), so that no unit creates relevance (the plain rule would hand down α R_k)
//   γ:   R_j = Σ_k (c_jk + γ c⁺_jk) / (z_k + γ z⁺_k) · R_k            (z⁺_k as for αβ, with b⁺_k)
//        (LRP-γ, Montavon et al. 2019, §10.2.1; the rule Schnake et al. use for GNN-LRP: it
//        favours positive contributions without discarding the negative ones)
// The transposed map Mᵀ comes from autograd: a ⊙ ∂(M(a) · s)/∂a = Σ_k a_j M_jk s_k, which is
// exact because M is linear. Relevance that the bias and ε take is what the inputs do not get:
// Σ_j R_j = Σ_k R_k (z_k − b_k) / (z_k + ε sign z_k) (ε), Σ_k R_k (α (z⁺_k − b⁺_k) / z⁺_k −
// β (z⁻_k − b⁻_k) / z⁻_k) (αβ), Σ_k R_k (z_k − b_k + γ (z⁺_k − b⁺_k)) / (z_k + γ z⁺_k) (γ);
// with zero biases (and ε = 0) it is conserved exactly.
//
// Every rule is linear in r_out for fixed inputs (the denominators depend on the inputs only):
// relevance handed down piece by piece adds up to the relevance handed down at once, which is
// what GNN-LRP's walks rely on (gnn_lrp.cpp).

#include <torch/types.h>

#include <functional>
#include <vector>

namespace gnnx::explainers::detail {

/// Which rule a relevance step applies (see the file comment).
struct RelevanceRule {
  enum class Kind { kEpsilon, kAlphaBeta, kGamma };
  Kind kind = Kind::kEpsilon;
  double epsilon = 0;  ///< kEpsilon: the stabiliser ε >= 0
  double alpha = 1;    ///< kAlphaBeta: α >= 1; β = α − 1
  double gamma = 0;    ///< kGamma: the weight γ >= 0 of positive contributions (0: LRP-0)
  double beta() const { return alpha - 1; }
};

/// Which weights a stage applies: as they are, their positive or their negative part. A stage's
/// coefficients that are not weights (a propagation's, a readout's, attention) are parts of the
/// weights too: their product with the weights is split by sign.
enum class WeightPart { kAll, kPositive, kNegative };

/// z = M(inputs) without the bias, for the weights `part` selects; linear in every input.
using LinearStage =
    std::function<torch::Tensor(const std::vector<torch::Tensor>& inputs, WeightPart part)>;

/// The relevance of each of `inputs` (same shapes) given the relevance r_out of the stage's
/// outputs (z's shape), float64. bias: broadcast onto z, or undefined.
std::vector<torch::Tensor> relevance_step(const LinearStage& stage,
                                          const std::vector<torch::Tensor>& inputs,
                                          const torch::Tensor& bias, const torch::Tensor& r_out,
                                          const RelevanceRule& rule);

/// The positive or negative part of a coefficient tensor or weight (kAll: itself).
torch::Tensor weight_part(const torch::Tensor& w, WeightPart part);

/// The part of the product of two factors: (u v)⁺ = u⁺v⁺ + u⁻v⁻, (u v)⁻ = u⁺v⁻ + u⁻v⁺, as
/// `product(u_part, v_part)` summed over the two pairs (kAll: product(u, v)).
torch::Tensor product_part(
    const torch::Tensor& u, const torch::Tensor& v, WeightPart part,
    const std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)>& product);

}  // namespace gnnx::explainers::detail
