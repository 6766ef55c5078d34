#pragma once
// GCNConv (Kipf & Welling, ICLR 2017):  out = D^-1/2 (A + I) D^-1/2 (x W) + b,
// as a LibTorch module, with per-edge weights — the hook through which explainers mask edges.

#include <gnnx/gnn/gcn_adjacency.h>

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>
#include <torch/arg.h>

namespace gnnx::gnn {

/// Options for GCNConv. Changing them after construction has no effect until reset().
///
/// Example:
///   GCNConv conv(GCNConvOptions(16, 32).bias(false));
struct GCNConvOptions {
  GCNConvOptions(int64_t in_features, int64_t out_features)
      : in_features_(in_features), out_features_(out_features) {}
  TORCH_ARG(int64_t, in_features);
  TORCH_ARG(int64_t, out_features);
  /// Learn an additive bias.
  TORCH_ARG(bool, bias) = true;
  /// Value every bias entry starts at (0 as Kipf & Welling and PyTorch Geometric). A small
  /// positive value keeps ReLU units active at the start when all nodes carry the same features:
  /// with a zero bias the layer's output is then rank one, so each unit is dead on every node or
  /// linear on every node (see ModelSpec::bias_init).
  TORCH_ARG(double, bias_init) = 0.0;
  /// How `edge_weight` in forward() enters the layer (see EdgeWeightMode).
  TORCH_ARG(EdgeWeightMode, edge_weight_mode) = EdgeWeightMode::kMask;
};

class GCNConvImpl : public torch::nn::Cloneable<GCNConvImpl> {
 public:
  GCNConvImpl(int64_t in_features, int64_t out_features)
      : GCNConvImpl(GCNConvOptions(in_features, out_features)) {}
  explicit GCNConvImpl(const GCNConvOptions& options);

  /// Glorot-uniform weight; bias filled with options.bias_init (0 by default, as Kipf & Welling
  /// and PyTorch Geometric).
  void reset() override;
  void pretty_print(std::ostream& stream) const override;

  /// x [N, in_features] -> [N, out_features]. edge_weight: undefined or [E] in edge order.
  torch::Tensor forward(const torch::Tensor& x, const GcnAdjacency& adj,
                        const torch::Tensor& edge_weight = {});

  GCNConvOptions options;
  torch::Tensor weight;  ///< [in_features, out_features]
  torch::Tensor bias;    ///< [out_features], undefined without bias
};

TORCH_MODULE(GCNConv);

}  // namespace gnnx::gnn
