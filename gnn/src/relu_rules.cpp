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

}  // namespace

torch::Tensor relu_with_rule(const torch::Tensor& z, ReluRule rule) {
  switch (rule) {
    case ReluRule::kStandard:
      return torch::relu(z);
    case ReluRule::kGuided:
      return GuidedRelu::apply(z);
    case ReluRule::kDeconvolution:
      return DeconvRelu::apply(z);
  }
  TORCH_INTERNAL_ASSERT(false, "unknown ReluRule ", static_cast<int>(rule));
}

}  // namespace gnnx::gnn
