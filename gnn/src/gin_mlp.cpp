#include "gin_mlp.h"

#include <gnnx/gnn/dense.h>

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/linear.h>

namespace gnnx::gnn::detail {

torch::nn::Sequential make_gin_mlp(int64_t in, int64_t hidden, int64_t out, int64_t layers) {
  TORCH_CHECK(in > 0 && hidden > 0 && out > 0 && layers >= 1,
              "GIN MLP: widths must be positive and layers >= 1, got in=", in, " hidden=", hidden,
              " out=", out, " layers=", layers);
  torch::nn::Sequential mlp;
  int64_t width = in;
  for (int64_t l = 0; l < layers; ++l) {
    const int64_t next = l + 1 == layers ? out : hidden;
    if (l > 0) mlp->push_back(torch::nn::ReLU());
    mlp->push_back(torch::nn::Linear(width, next));
    width = next;
  }
  return mlp;
}

torch::Tensor run_gin_mlp(const torch::nn::Sequential& mlp, const torch::Tensor& x, ReluRule rule) {
  torch::Tensor h = x;
  for (size_t i = 0; i < mlp->size(); ++i) {
    const auto& module = mlp->ptr(i);
    if (const auto* linear = module->as<torch::nn::LinearImpl>()) {
      h = dense_linear(h, linear->weight, linear->bias);
    } else {
      TORCH_INTERNAL_ASSERT(module->as<torch::nn::ReLUImpl>() != nullptr,
                            "GIN MLP: unexpected module ", module->name());
      h = relu_with_rule(h, rule);
    }
  }
  return h;
}

std::vector<DenseLayer> gin_mlp_layers(const torch::nn::Sequential& mlp) {
  std::vector<DenseLayer> out;
  for (size_t i = 0; i < mlp->size(); ++i) {
    if (const auto* linear = mlp->ptr(i)->as<torch::nn::LinearImpl>()) {
      out.push_back({linear->weight, linear->bias});
    }
  }
  return out;
}

}  // namespace gnnx::gnn::detail
