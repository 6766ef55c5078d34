#pragma once
// Checks every message-passing layer test runs (tests/gnn/*_conv_test.cpp): finite-difference
// gradients in double, and the edge-mask contract (mask 1 everywhere is the unmasked layer, mask
// 0 on one edge removes exactly that edge's message).

#include <gnnx/gnn/graph.h>

#include <gtest/gtest.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/types.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "support/builders.h"

namespace gnnx::testing {

/// A layer call on the test graph: (x [N, F], mask [E] or undefined) -> [N, out].
using LayerFn = std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)>;

/// The analytic gradients of <layer(x, mask), probe> with respect to x, the mask and each of
/// `params` (tensors of the layer, double) against central differences.
inline void expect_gradients_match_finite_differences(const LayerFn& layer, const torch::Tensor& x0,
                                                      const torch::Tensor& mask0,
                                                      const std::vector<torch::Tensor>& params) {
  auto x = x0.detach().clone().requires_grad_();
  auto mask = mask0.detach().clone().requires_grad_();
  for (const auto& p : params) p.mutable_grad() = torch::Tensor();
  const auto out = layer(x, mask);
  const auto probe = torch::randn(out.sizes(), torch::kDouble);
  (out * probe).sum().backward();
  auto value = [&](const torch::Tensor& xx, const torch::Tensor& mm) {
    torch::NoGradGuard no_grad;
    return (layer(xx, mm) * probe).sum().item<double>();
  };
  EXPECT_TRUE(torch::allclose(
      x.grad(), numeric_gradient([&](const torch::Tensor& t) { return value(t, mask); }, x), 1e-6,
      1e-7))
      << "gradient with respect to x";
  EXPECT_TRUE(torch::allclose(
      mask.grad(), numeric_gradient([&](const torch::Tensor& t) { return value(x, t); }, mask),
      1e-6, 1e-7))
      << "gradient with respect to the edge mask";
  for (size_t i = 0; i < params.size(); ++i) {
    auto p = params[i];
    auto with = [&](const torch::Tensor& v) {
      torch::NoGradGuard no_grad;
      const auto saved = p.clone();
      p.copy_(v);
      const double l = value(x, mask);
      p.copy_(saved);
      return l;
    };
    ASSERT_TRUE(p.grad().defined()) << "parameter " << i << " got no gradient";
    EXPECT_TRUE(torch::allclose(p.grad(), numeric_gradient(with, p), 1e-6, 1e-7))
        << "gradient with respect to parameter " << i;
  }
}

/// Mask 1 on every edge gives exactly (bit for bit) the unmasked layer.
inline void expect_mask_of_ones_is_unmasked(const LayerFn& layer, const gnn::Graph& g) {
  torch::NoGradGuard no_grad;
  EXPECT_TRUE(torch::equal(layer(g.x(), torch::ones({g.num_edges()}, g.x().options())),
                           layer(g.x(), torch::Tensor())));
}

/// Dense [N, N] double: A[dst][src] += mask[e] (1 without a mask).
inline torch::Tensor dense_adjacency(const gnn::Graph& g, const torch::Tensor& mask = {}) {
  auto a = torch::zeros({g.num_nodes(), g.num_nodes()}, torch::kDouble);
  for (int64_t e = 0; e < g.num_edges(); ++e) {
    const int64_t s = g.edge_index()[0][e].item<int64_t>();
    const int64_t d = g.edge_index()[1][e].item<int64_t>();
    a[d][s] += mask.defined() ? mask[e].item<double>() : 1.0;
  }
  return a;
}

/// x Wᵀ + b in double (torch::nn::Linear's convention; b may be undefined).
inline torch::Tensor dense_linear_reference(const torch::Tensor& x, const torch::Tensor& weight,
                                            const torch::Tensor& bias = {}) {
  auto out = x.to(torch::kDouble).matmul(weight.to(torch::kDouble).t());
  return bias.defined() ? out + bias.to(torch::kDouble) : out;
}

/// The graph without edge `removed` (and its edge_attr row).
inline gnn::Graph without_edge(const gnn::Graph& g, int64_t removed) {
  auto keep = torch::ones({g.num_edges()}, torch::kBool);
  keep[removed] = false;
  return gnn::Graph(g.num_nodes(), g.edge_index().index({torch::indexing::Slice(), keep}), g.x(),
                    g.y(), g.edge_attr().defined() ? g.edge_attr().index({keep}) : torch::Tensor());
}

/// The named parameters (and buffers) of a module, for the PyG name checks.
template <typename Module>
std::vector<std::string> tensor_names(const Module& module) {
  std::vector<std::string> names;
  for (const auto& item : module->named_parameters()) names.push_back(item.key());
  for (const auto& item : module->named_buffers()) names.push_back("buffer:" + item.key());
  return names;
}

/// Whether `names` holds `name`.
inline bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

/// `g` with random edge features [E, edge_dim] ~ U(0, 1) (torch's global generator).
inline gnn::Graph with_edge_features(const gnn::Graph& g, int64_t edge_dim) {
  return gnn::Graph(g.num_nodes(), g.edge_index(), g.x(), {},
                    torch::rand({g.num_edges(), edge_dim}, g.x().options()));
}

/// A GIN MLP (its Linear and ReLU modules, in order) applied to `h` in double.
inline torch::Tensor dense_mlp_reference(const torch::nn::Sequential& nn, torch::Tensor h) {
  for (size_t i = 0; i < nn->size(); ++i) {
    if (const auto* lin = nn->ptr(i)->as<torch::nn::LinearImpl>()) {
      h = dense_linear_reference(h, lin->weight, lin->bias);
    } else {
      h = torch::relu(h);
    }
  }
  return h;
}

}  // namespace gnnx::testing
