#pragma once
// GINEConv (Hu et al., "Strategies for Pre-training Graph Neural Networks", ICLR 2020): GIN with
// edge features, with the semantics and parameter names of PyTorch Geometric's GINEConv:
//
//   out_i = h_Θ( (1 + ε) x_i + Σ_{e = (j -> i)} m_e ReLU(x_j + lin(e_e)) )
//
// lin (parameters lin.weight [in, edge_dim], lin.bias) maps the edge features to the node
// width when edge_dim > 0; with edge_dim = 0 the edge features must already have the node
// width. h_Θ and ε as GINConv (nn.0.weight, ..., eps). m_e, the edge mask (1 without one),
// multiplies the finished message ReLU(x_j + lin(e_e)); the self term is never masked.
//
// The messages depend on the edge, so the sum over them is torch's index_add (the CPU adds in
// edge order; on CUDA it runs with atomics), not the SpMM kernels.

#include <gnnx/gnn/gcn_adjacency.h>
#include <gnnx/gnn/relu_rule.h>

#include <torch/arg.h>
#include <torch/nn/cloneable.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace gnnx::gnn {

/// Options for GINEConv. Changing them after construction has no effect until reset().
///
/// Example:
///   GINEConv conv(GINEConvOptions(16, 32).edge_dim(4));  // bond-type one-hot edge features
struct GINEConvOptions {
  GINEConvOptions(int64_t in_features, int64_t out_features)
      : in_features_(in_features), out_features_(out_features) {}
  TORCH_ARG(int64_t, in_features);
  TORCH_ARG(int64_t, out_features);
  /// Width of the edge features; 0 = none of lin, the edge features have in_features columns.
  TORCH_ARG(int64_t, edge_dim) = 0;
  /// Width of the MLP's hidden layers; 0 = out_features.
  TORCH_ARG(int64_t, hidden) = 0;
  /// Linear layers of the MLP (ReLU between them); >= 1.
  TORCH_ARG(int64_t, mlp_layers) = 2;
  /// ε, or its initial value when learned.
  TORCH_ARG(double, eps) = 0.0;
  /// Learn ε (a parameter named eps); otherwise a buffer named eps.
  TORCH_ARG(bool, train_eps) = false;
};

class GINEConvImpl : public torch::nn::Cloneable<GINEConvImpl> {
 public:
  GINEConvImpl(int64_t in_features, int64_t out_features)
      : GINEConvImpl(GINEConvOptions(in_features, out_features)) {}
  explicit GINEConvImpl(const GINEConvOptions& options);

  /// torch::nn::Linear initialisation of lin and the MLP; ε set to options.eps.
  void reset() override;
  void pretty_print(std::ostream& stream) const override;

  /// x [N, in_features], edge_attr [E, edge_dim] (or [E, in_features] with edge_dim = 0), both
  /// floating point on one device -> [N, out_features]. edge_mask undefined or [E]. `relu` is
  /// the backward rule of the messages' ReLU and the MLP's. Throws c10::Error on shape mismatch.
  torch::Tensor forward(const torch::Tensor& x, const GcnAdjacency& adj,
                        const torch::Tensor& edge_attr, const torch::Tensor& edge_mask = {},
                        ReluRule relu = ReluRule::kStandard);

  const GINEConvOptions& options() const { return options_; }
  const torch::nn::Sequential& nn() const { return nn_; }
  /// Edge features -> node width; empty (is_empty()) with edge_dim = 0.
  const torch::nn::Linear& lin() const { return lin_; }
  const torch::Tensor& eps() const { return eps_; }

 private:
  GINEConvOptions options_;
  torch::nn::Sequential nn_{nullptr};
  torch::nn::Linear lin_{nullptr};
  torch::Tensor eps_;
};

TORCH_MODULE(GINEConv);

}  // namespace gnnx::gnn
