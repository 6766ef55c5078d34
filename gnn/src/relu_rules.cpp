// The ReLU backward rules explainers swap in (ForwardHooks::relu).

#include <gnnx/gnn/relu_rule.h>

#include <torch/autograd.h>

namespace gnnx::gnn {
namespace {

// ReLU with the guided-backprop backward: [z > 0] · max(g, 0).
struct GuidedRelu : public torch::autograd::Function<GuidedRelu> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& z) {
    ctx->save_for_backward({z});
    return torch::relu(z);
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad) {
    const auto z = ctx->get_saved_variables()[0];
    return {grad[0].clamp_min(0) * (z > 0).to(grad[0].scalar_type())};
  }
};

// ReLU with the deconvnet backward: max(g, 0), whatever the input.
struct DeconvRelu : public torch::autograd::Function<DeconvRelu> {
  static torch::Tensor forward(torch::autograd::AutogradContext* /*ctx*/, const torch::Tensor& z) {
    return torch::relu(z);
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* /*ctx*/,
                                                 torch::autograd::variable_list grad) {
    return {grad[0].clamp_min(0)};
  }
};

// ReLU with DeepLIFT's rescale backward over [input; reference] rows: the multiplier
// ΔReLU / Δz of each input unit against its reference unit, so that multipliers times
// differences add up to the output difference exactly (summation-to-delta).
struct RescaleRelu : public torch::autograd::Function<RescaleRelu> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& z) {
    TORCH_CHECK(z.dim() >= 1 && z.size(0) % 2 == 0,
                "ReluRule::kRescale: needs [input; reference] rows, got ", z.sizes());
    ctx->save_for_backward({z});
    return torch::relu(z);
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad) {
    constexpr double kEps = 1e-10;  // Captum's DeepLift: below, the gradient stands in
    const auto z = ctx->get_saved_variables()[0];
    const int64_t half = z.size(0) / 2;
    const auto input = z.slice(0, 0, half);
    const auto reference = z.slice(0, half);
    const auto delta_in = input - reference;
    const auto delta_out = torch::relu(input) - torch::relu(reference);
    const auto gradient = (input > 0).to(z.scalar_type());
    const auto tiny = delta_in.abs() < kEps;
    const auto multiplier = torch::where(
        tiny, gradient, delta_out / torch::where(tiny, torch::ones_like(delta_in), delta_in));
    const auto g = grad[0];
    return {torch::cat({g.slice(0, 0, half) * multiplier, torch::zeros_like(g.slice(0, half))})};
  }
};

}  // namespace

torch::Tensor relu_with_rule(const torch::Tensor& z, ReluRule rule) {
  switch (rule) {
    case ReluRule::kStandard:
      return torch::relu(z);
    case ReluRule::kGuided:
      return GuidedRelu::apply(z);
    case ReluRule::kDeconvolution:
      return DeconvRelu::apply(z);
    case ReluRule::kRescale:
      return RescaleRelu::apply(z);
  }
  TORCH_INTERNAL_ASSERT(false, "unknown ReluRule ", static_cast<int>(rule));
}

}  // namespace gnnx::gnn
