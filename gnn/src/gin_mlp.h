#pragma once
// The MLP h_Θ of GINConv and GINEConv (private to gnn): a torch::nn::Sequential of Linear
// layers with a ReLU module between each two, so that its parameters are named as in a PyTorch
// Geometric model built with Sequential(Linear, ReLU, Linear): nn.0.weight, nn.0.bias,
// nn.2.weight, ...

#include <gnnx/gnn/model_hooks.h>
#include <gnnx/gnn/relu_rule.h>

#include <torch/nn/modules/container/sequential.h>

namespace gnnx::gnn::detail {

/// `layers` >= 1 Linear layers in -> hidden -> ... -> hidden -> out (biases on), ReLU between.
torch::nn::Sequential make_gin_mlp(int64_t in, int64_t hidden, int64_t out, int64_t layers);

/// Runs the MLP on x with each ReLU's backward rule `rule` (its Linear layers through
/// dense_linear, whose results do not depend on the thread count).
torch::Tensor run_gin_mlp(const torch::nn::Sequential& mlp, const torch::Tensor& x, ReluRule rule);

/// The MLP's Linear layers, first to last (the model's own parameters; LayerPaths::mlp).
std::vector<DenseLayer> gin_mlp_layers(const torch::nn::Sequential& mlp);

}  // namespace gnnx::gnn::detail
