#pragma once
// SAGEConv (Hamilton et al., "Inductive Representation Learning on Large Graphs", NeurIPS
// 2017), mean aggregation, with the semantics and parameter names of PyTorch Geometric's
// SAGEConv (aggr="mean", project=False):
//
//   out_i = lin_l( (1 / deg_i) Σ_{e = (j -> i)} m_e x_j ) + lin_r(x_i)
//
// lin_l (lin_l.weight [out, in], lin_l.bias) on the neighbour mean, lin_r (lin_r.weight, no
// bias) on the node itself (root_weight). deg_i is the in-degree of the unmasked graph (the
// mean of a node without in-edges is 0): the edge mask m_e (1 without one) multiplies the
// message x_j / deg_i, so mask 0 removes that one message and leaves the divisor alone. With
// normalize each output row is scaled to unit L2 norm. The weighted sum is an SpMM (csr_spmm:
// CPU and CUDA kernels) of x lin_lᵀ (transformed first; the same by linearity).

#include <gnnx/gnn/gcn_adjacency.h>

#include <torch/arg.h>
#include <torch/nn/cloneable.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace gnnx::gnn {

/// Options for SAGEConv. Changing them after construction has no effect until reset().
///
/// Example:
///   SAGEConv conv(SAGEConvOptions(16, 32).root_weight(false));
struct SAGEConvOptions {
  SAGEConvOptions(int64_t in_features, int64_t out_features)
      : in_features_(in_features), out_features_(out_features) {}
  TORCH_ARG(int64_t, in_features);
  TORCH_ARG(int64_t, out_features);
  /// lin_l learns a bias (lin_r never has one).
  TORCH_ARG(bool, bias) = true;
  /// Add lin_r(x_i), the node's own transformed features.
  TORCH_ARG(bool, root_weight) = true;
  /// Scale each output row to unit L2 norm (PyG's normalize).
  TORCH_ARG(bool, normalize) = false;
};

class SAGEConvImpl : public torch::nn::Cloneable<SAGEConvImpl> {
 public:
  SAGEConvImpl(int64_t in_features, int64_t out_features)
      : SAGEConvImpl(SAGEConvOptions(in_features, out_features)) {}
  explicit SAGEConvImpl(const SAGEConvOptions& options);

  /// torch::nn::Linear initialisation of both maps (as PyG's Linear).
  void reset() override;
  void pretty_print(std::ostream& stream) const override;

  /// x [N, in_features] -> [N, out_features]. edge_mask undefined or [E] (edge order), on x's
  /// device. Throws c10::Error on shape mismatch.
  torch::Tensor forward(const torch::Tensor& x, const GcnAdjacency& adj,
                        const torch::Tensor& edge_mask = {});

  const SAGEConvOptions& options() const { return options_; }
  const torch::nn::Linear& lin_l() const { return lin_l_; }
  /// Empty (is_empty()) without root_weight.
  const torch::nn::Linear& lin_r() const { return lin_r_; }

 private:
  SAGEConvOptions options_;
  torch::nn::Linear lin_l_{nullptr};
  torch::nn::Linear lin_r_{nullptr};
};

TORCH_MODULE(SAGEConv);

}  // namespace gnnx::gnn
