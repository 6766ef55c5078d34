#include <gnnx/explainers/hard_concrete.h>

#include <ATen/ops/log.h>
#include <ATen/ops/log1p.h>
#include <ATen/ops/sigmoid.h>
#include <ATen/ops/zeros.h>

#include <cmath>

namespace gnnx::explainers {

void HardConcreteOptions::check() const {
  TORCH_CHECK(std::isfinite(beta()) && beta() > 0, "HardConcreteOptions: beta must be > 0, got ",
              beta());
  TORCH_CHECK(std::isfinite(gamma()) && gamma() < 0, "HardConcreteOptions: gamma must be < 0, got ",
              gamma());
  TORCH_CHECK(std::isfinite(zeta()) && zeta() >= 1, "HardConcreteOptions: zeta must be >= 1, got ",
              zeta());
  TORCH_CHECK(std::isfinite(loc_bias()), "HardConcreteOptions: loc_bias must be finite");
}

HardConcreteSample hard_concrete_sample(const torch::Tensor& logits, const torch::Tensor& uniform,
                                        const HardConcreteOptions& o) {
  o.check();
  TORCH_CHECK(logits.sizes() == uniform.sizes(), "hard_concrete_sample: logits ", logits.sizes(),
              " and uniform ", uniform.sizes(), " differ in shape");
  const auto a = logits + o.loc_bias();
  const auto noise = at::log(uniform) - at::log1p(-uniform);
  const auto s = at::sigmoid((noise + a) / o.beta());
  HardConcreteSample out;
  out.gate = (s * (o.zeta() - o.gamma()) + o.gamma()).clamp(0, 1);
  out.penalty = at::sigmoid(a - o.beta() * std::log(-o.gamma() / o.zeta()));
  return out;
}

torch::Tensor hard_concrete_mean_gate(const torch::Tensor& logits, const HardConcreteOptions& o) {
  o.check();
  return (at::sigmoid(logits + o.loc_bias()) * (o.zeta() - o.gamma()) + o.gamma()).clamp(0, 1);
}

torch::Tensor straight_through_gates(const torch::Tensor& gate, const torch::Tensor& group,
                                     int64_t groups) {
  TORCH_CHECK(gate.dim() == 1 && group.sizes() == gate.sizes(),
              "straight_through_gates: gate and group must be [E] alike");
  const auto soft = gate.detach();
  const auto init = at::zeros({groups}, soft.options());
  const auto low = init.scatter_reduce(0, group, soft, "amin", /*include_self=*/false);
  const auto high = init.scatter_reduce(0, group, soft, "amax", /*include_self=*/false);
  const auto mid = ((low + high) / 2).index_select(0, group);
  const auto hard = (soft > mid).to(soft.scalar_type());
  return gate + (hard - soft);
}

}  // namespace gnnx::explainers
