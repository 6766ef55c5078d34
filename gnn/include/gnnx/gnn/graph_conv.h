#pragma once
// GraphConv (Morris et al., "Weisfeiler and Leman Go Neural", AAAI 2019), with the semantics and
// parameter names of PyTorch Geometric's GraphConv (sum aggregation):
//
//   out_i = lin_root(x_i) + lin_rel( Σ_{e = (j -> i)} m_e x_j )
//
// lin_rel (lin_rel.weight [out, in], lin_rel.bias) on the neighbour sum, lin_root
// (lin_root.weight, no bias) on the node itself. m_e, the edge mask (1 without one; PyG's
// edge_weight), multiplies the message x_j; the root term is never masked. The neighbour sum is
// a weighted-sum SpMM (csr_spmm: CPU and CUDA kernels), of x lin_relᵀ (transformed first, as
// GCNConv: the same sum by linearity).
//
// Not to be confused with the GNNExplainer code's "GraphConv", which is GCNConv with
// Aggregation::kSum.

#include <gnnx/gnn/gcn_adjacency.h>

#include <torch/arg.h>
#include <torch/nn/cloneable.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace gnnx::gnn {

/// Options for GraphConv. Changing them after construction has no effect until reset().
///
/// Example:
///   GraphConv conv(GraphConvOptions(16, 32).bias(false));
struct GraphConvOptions {
  GraphConvOptions(int64_t in_features, int64_t out_features)
      : in_features_(in_features), out_features_(out_features) {}
  TORCH_ARG(int64_t, in_features);
  TORCH_ARG(int64_t, out_features);
  /// lin_rel learns a bias (lin_root never has one).
  TORCH_ARG(bool, bias) = true;
};

class GraphConvImpl : public torch::nn::Cloneable<GraphConvImpl> {
 public:
  GraphConvImpl(int64_t in_features, int64_t out_features)
      : GraphConvImpl(GraphConvOptions(in_features, out_features)) {}
  explicit GraphConvImpl(const GraphConvOptions& options);

  /// torch::nn::Linear initialisation of both maps (as PyG's Linear). Throws c10::Error for
  /// non-positive sizes.
  void reset() override;
  void pretty_print(std::ostream& stream) const override;

  /// x [N, in_features] -> [N, out_features]. edge_mask undefined or [E] (edge order), on x's
  /// device. Throws c10::Error on shape mismatch.
  torch::Tensor forward(const torch::Tensor& x, const GcnAdjacency& adj,
                        const torch::Tensor& edge_mask = {});

  const GraphConvOptions& options() const { return options_; }
  const torch::nn::Linear& lin_rel() const { return lin_rel_; }
  const torch::nn::Linear& lin_root() const { return lin_root_; }

 private:
  GraphConvOptions options_;
  torch::nn::Linear lin_rel_{nullptr};
  torch::nn::Linear lin_root_{nullptr};
};

TORCH_MODULE(GraphConv);

}  // namespace gnnx::gnn
