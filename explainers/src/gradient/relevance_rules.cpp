// LRP's ε-, αβ- and γ-rules for one linear stage (relevance_rules.h).

#include "relevance_rules.h"

#include <torch/autograd.h>

namespace gnnx::explainers::detail {
namespace {

/// num / den where den != 0, else 0 (relevance reaching an output no input contributed to is
/// dropped; with ε > 0 only an exact zero of z⁺ or z⁻ gets here).
torch::Tensor safe_quotient(const torch::Tensor& num, const torch::Tensor& den) {
  return torch::where(den != 0, num / torch::where(den != 0, den, torch::ones_like(den)),
                      torch::zeros_like(num));
}

/// Mᵀ s for each input: ∂(M(inputs) · s)/∂input, the weights `part` selects. M is linear, so
/// the point it is taken at does not matter.
std::vector<torch::Tensor> transposed(const LinearStage& stage,
                                      const std::vector<torch::Tensor>& inputs, WeightPart part,
                                      const torch::Tensor& s) {
  torch::AutoGradMode enable(true);
  std::vector<torch::Tensor> leaves;
  for (const auto& a : inputs) leaves.push_back(a.detach().requires_grad_(true));
  const torch::Tensor z = stage(leaves, part);
  std::vector<torch::Tensor> out(inputs.size());
  if (z.requires_grad()) {
    out = torch::autograd::grad({z}, leaves, {s}, /*retain_graph=*/false, /*create_graph=*/false,
                                /*allow_unused=*/true);
  }
  for (size_t k = 0; k < out.size(); ++k) {
    out[k] = out[k].defined() ? out[k].detach() : torch::zeros_like(inputs[k]);
  }
  return out;
}

torch::Tensor with_bias(torch::Tensor z, const torch::Tensor& bias) {
  return bias.defined() ? z + bias : z;
}

}  // namespace

torch::Tensor weight_part(const torch::Tensor& w, WeightPart part) {
  switch (part) {
    case WeightPart::kAll:
      return w;
    case WeightPart::kPositive:
      return w.clamp_min(0);
    case WeightPart::kNegative:
      return w.clamp_max(0);
  }
  TORCH_INTERNAL_ASSERT(false, "unknown WeightPart");
}

torch::Tensor product_part(
    const torch::Tensor& u, const torch::Tensor& v, WeightPart part,
    const std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)>& product) {
  using P = WeightPart;
  switch (part) {
    case P::kAll:
      return product(u, v);
    case P::kPositive:
      return product(weight_part(u, P::kPositive), weight_part(v, P::kPositive)) +
             product(weight_part(u, P::kNegative), weight_part(v, P::kNegative));
    case P::kNegative:
      return product(weight_part(u, P::kPositive), weight_part(v, P::kNegative)) +
             product(weight_part(u, P::kNegative), weight_part(v, P::kPositive));
  }
  TORCH_INTERNAL_ASSERT(false, "unknown WeightPart");
}

std::vector<torch::Tensor> relevance_step(const LinearStage& stage,
                                          const std::vector<torch::Tensor>& inputs,
                                          const torch::Tensor& bias, const torch::Tensor& r_out,
                                          const RelevanceRule& rule) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> relevance(inputs.size());
  if (rule.kind == RelevanceRule::Kind::kEpsilon) {
    const auto z = with_bias(stage(inputs, WeightPart::kAll), bias);
    const auto sign = torch::where(z >= 0, torch::ones_like(z), -torch::ones_like(z));
    const auto s = safe_quotient(r_out, z + rule.epsilon * sign);
    const auto back = transposed(stage, inputs, WeightPart::kAll, s);
    for (size_t k = 0; k < inputs.size(); ++k) relevance[k] = inputs[k] * back[k];
    return relevance;
  }
  // αβ and γ: the inputs split by sign, so that each contribution's sign is its input's times
  // its weight's: c⁺ = a⁺ M⁺ + a⁻ M⁻, c⁻ = a⁺ M⁻ + a⁻ M⁺.
  using P = WeightPart;
  std::vector<torch::Tensor> pos, neg;
  for (const auto& a : inputs) {
    pos.push_back(a.clamp_min(0));
    neg.push_back(a.clamp_max(0));
  }
  const torch::Tensor b_pos = bias.defined() ? bias.clamp_min(0) : bias;
  const torch::Tensor b_neg = bias.defined() ? bias.clamp_max(0) : bias;
  const auto z_pos = with_bias(stage(pos, P::kPositive) + stage(neg, P::kNegative), b_pos);
  if (rule.kind == RelevanceRule::Kind::kGamma) {
    // (c + γ c⁺) / (z + γ z⁺): the plain transpose plus γ times the positive parts'.
    const auto z = with_bias(stage(inputs, P::kAll), bias);
    const auto s = safe_quotient(r_out, z + rule.gamma * z_pos);
    const auto all = transposed(stage, inputs, P::kAll, s);
    const auto up_pos = transposed(stage, inputs, P::kPositive, s);
    const auto up_neg = transposed(stage, inputs, P::kNegative, s);
    for (size_t k = 0; k < inputs.size(); ++k) {
      relevance[k] = inputs[k] * all[k] + rule.gamma * (pos[k] * up_pos[k] + neg[k] * up_neg[k]);
    }
    return relevance;
  }
  const auto z_neg = with_bias(stage(pos, P::kNegative) + stage(neg, P::kPositive), b_neg);
  // A unit with contributions of one sign only (a readout, GIN's sum, a unit whose inputs and
  // weights are all positive) hands its relevance to them in proportion, (α, β) = (1, 0) or
  // (0, −1): the plain rule would create α R or lose it, and α − β = 1 keeps conservation.
  const auto alpha = torch::where(
      z_neg == 0, torch::ones_like(z_pos),
      torch::where(z_pos == 0, torch::zeros_like(z_pos), torch::full_like(z_pos, rule.alpha)));
  const auto s_pos = alpha * safe_quotient(r_out, z_pos);
  const auto s_neg = (alpha - 1) * safe_quotient(r_out, z_neg);
  const auto up_pos = transposed(stage, inputs, P::kPositive, s_pos);
  const auto up_neg = transposed(stage, inputs, P::kNegative, s_pos);
  const auto down_neg = transposed(stage, inputs, P::kNegative, s_neg);
  const auto down_pos = transposed(stage, inputs, P::kPositive, s_neg);
  for (size_t k = 0; k < inputs.size(); ++k) {
    relevance[k] =
        pos[k] * up_pos[k] + neg[k] * up_neg[k] - pos[k] * down_neg[k] - neg[k] * down_pos[k];
  }
  return relevance;
}

}  // namespace gnnx::explainers::detail
