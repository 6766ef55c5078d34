#pragma once
// GATConv (Veličković et al., "Graph Attention Networks", ICLR 2018), with the semantics and
// parameter names of PyTorch Geometric's GATConv (one input width, no residual):
//
//   out_i = ‖_h (or mean_h)  Σ_{j ∈ N(i) ∪ {i}} m_ji α^h_ji W^h x_j  + bias
//   α^h_ji = softmax_j( LeakyReLU( a^h_src · W^h x_j + a^h_dst · W^h x_i [+ a^h_edge · W^h_e e_ji]
//   ) )
//
// lin (lin.weight [heads·out, in], no bias), att_src, att_dst (each [1, heads, out]), with
// edge_dim > 0 lin_edge (lin_edge.weight [heads·out, edge_dim]) and att_edge, and bias
// ([heads·out] with concat, else [out]). As PyG, the graph's own self-loops are dropped and one
// self-loop per node is added (add_self_loops), whose edge features are the mean of the node's
// incoming edges' (PyG's fill_value="mean"). Attention dropout (`dropout`) acts on α in
// training mode only.
//
// The edge mask m_ji (1 without one) multiplies each message α^h_ji W^h x_j after the softmax,
// which is taken over the unmasked graph; the added self-loops are never masked. Mask 0
// removes exactly that message (the other coefficients are not renormalised).
//
// The weighted sum is one SpMM per head (csr_spmm: CPU and CUDA kernels, α as the values, the
// self-loop coefficients as the diagonal). The coefficients themselves are torch index
// operations: a scatter max and an index_add sum (on the CPU in edge order; on CUDA with
// atomics).

#include <gnnx/gnn/gcn_adjacency.h>

#include <torch/arg.h>
#include <torch/nn/cloneable.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace gnnx::gnn {

/// Options for GATConv. Changing them after construction has no effect until reset().
///
/// Example:
///   GATConv conv(GATConvOptions(16, 8).heads(4));          // [N, 32]
///   GATConv mean(GATConvOptions(16, 8).heads(4).concat(false));  // [N, 8]
struct GATConvOptions {
  GATConvOptions(int64_t in_features, int64_t out_features)
      : in_features_(in_features), out_features_(out_features) {}
  TORCH_ARG(int64_t, in_features);
  /// Width of each head's output.
  TORCH_ARG(int64_t, out_features);
  TORCH_ARG(int64_t, heads) = 1;
  /// Concatenate the heads ([N, heads·out]); otherwise average them ([N, out]).
  TORCH_ARG(bool, concat) = true;
  /// Slope of the LeakyReLU on the attention logits.
  TORCH_ARG(double, negative_slope) = 0.2;
  /// Dropout probability of the attention coefficients, in training mode.
  TORCH_ARG(double, dropout) = 0.0;
  /// Replace the graph's self-loops by one per node.
  TORCH_ARG(bool, add_self_loops) = true;
  /// Width of the edge features entering the attention; 0 = none (edge_attr is ignored).
  TORCH_ARG(int64_t, edge_dim) = 0;
  TORCH_ARG(bool, bias) = true;
};

/// Whether a pass differentiates through the attention coefficients.
enum class Attention {
  kDifferentiable,  ///< the layer's own backward: α depends on x (and on the edge features)
  /// α keeps its forward value but is a constant for autograd: the backward sees the linear
  /// map Σ_j α_ji W x_j (guided backprop and deconvolution on GAT, ForwardHooks::fixed_attention)
  kFixed,
};

/// A GATConv pass with its attention coefficients.
struct GATOutput {
  torch::Tensor out;         ///< [N, heads·out] (concat) or [N, out]
  torch::Tensor alpha;       ///< [E, heads] coefficient of each edge (0 for a dropped self-loop)
  torch::Tensor self_alpha;  ///< [N, heads] coefficient of each added self-loop, or undefined
};

class GATConvImpl : public torch::nn::Cloneable<GATConvImpl> {
 public:
  GATConvImpl(int64_t in_features, int64_t out_features)
      : GATConvImpl(GATConvOptions(in_features, out_features)) {}
  explicit GATConvImpl(const GATConvOptions& options);

  /// Glorot-uniform lin, lin_edge, att_* (PyG's glorot); zero bias. Throws c10::Error for
  /// non-positive sizes or a dropout outside [0, 1).
  void reset() override;
  void pretty_print(std::ostream& stream) const override;

  /// x [N, in_features] -> [N, heads·out_features] (concat) or [N, out_features].
  /// edge_attr [E, edge_dim] when edge_dim > 0 (else unused); edge_mask undefined or [E]; both
  /// on x's device. `attention` says whether the backward goes through α. Throws c10::Error on
  /// shape mismatch.
  torch::Tensor forward(const torch::Tensor& x, const GcnAdjacency& adj,
                        const torch::Tensor& edge_attr = {}, const torch::Tensor& edge_mask = {},
                        Attention attention = Attention::kDifferentiable);

  /// The same pass, with the attention coefficients (after dropout; differentiable unless
  /// attention is kFixed).
  GATOutput forward_with_attention(const torch::Tensor& x, const GcnAdjacency& adj,
                                   const torch::Tensor& edge_attr = {},
                                   const torch::Tensor& edge_mask = {},
                                   Attention attention = Attention::kDifferentiable);

  const GATConvOptions& options() const { return options_; }
  /// Width of the output rows: heads·out_features with concat, else out_features.
  int64_t output_width() const;
  const torch::nn::Linear& lin() const { return lin_; }
  /// Empty (is_empty()) with edge_dim = 0.
  const torch::nn::Linear& lin_edge() const { return lin_edge_; }
  const torch::Tensor& att_src() const { return att_src_; }  ///< [1, heads, out]
  const torch::Tensor& att_dst() const { return att_dst_; }  ///< [1, heads, out]
  /// [1, heads, out], undefined with edge_dim = 0.
  const torch::Tensor& att_edge() const { return att_edge_; }
  /// [output_width()], undefined without bias.
  const torch::Tensor& bias() const { return bias_; }

 private:
  GATConvOptions options_;
  torch::nn::Linear lin_{nullptr};
  torch::nn::Linear lin_edge_{nullptr};
  torch::Tensor att_src_, att_dst_, att_edge_, bias_;
};

TORCH_MODULE(GATConv);

}  // namespace gnnx::gnn
