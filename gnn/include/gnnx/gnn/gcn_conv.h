#pragma once
// GCNConv (Kipf & Welling, ICLR 2017):  out = D^-1/2 (A + I) D^-1/2 (x W) + b,
// as a LibTorch module, with per-edge weights — the hook through which explainers mask edges.
//
// Two options give the layer of the original GNNExplainer code (Ying et al. 2019, models.py
// GraphConv, which the paper's synthetic benchmarks were trained with): Aggregation::kSum sums
// the raw neighbour messages, out = A (x W) + b (kSumSelf adds the node itself, (A + I)), and
// EmbeddingNorm::kL2 scales each node's output row to unit length. With all nodes carrying the
// same features, a symmetric-normalised layer sums to the same value on every neighbourhood of
// equal degrees (a cycle and a binary tree alike), so it tells motif from base only where their
// degrees differ; the raw sum sees every node's degree.

#include <gnnx/gnn/gcn_adjacency.h>

#include <torch/arg.h>
#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>

#include <string>

namespace gnnx::gnn {

/// How a GCN layer combines a node's neighbour messages (m_e: the edge weight, 1 without one).
enum class Aggregation {
  /// out_i = x_i W / deg_i + Σ_{e=(j→i)} m_e x_j W / sqrt(deg_i deg_j), deg = 1 + in-degree
  /// (Kipf & Welling; the weight enters as GCNConvOptions::edge_weight_mode says).
  kSymmetric,
  /// out_i = Σ_{e=(j→i)} m_e x_j W: the raw adjacency without self-loops, as the original
  /// GNNExplainer GraphConv (add_self = False whenever its layers are concatenated).
  kSum,
  /// out_i = x_i W + Σ_{e=(j→i)} m_e x_j W: raw adjacency plus an unweighted self-loop.
  kSumSelf,
};

/// What a GCN layer does to each node's output row after the bias.
enum class EmbeddingNorm {
  kNone,
  /// row / max(‖row‖₂, 1e-12), as the original GNNExplainer GraphConv (normalize_embedding).
  kL2,
};

/// "symmetric", "sum", "sum-self" and "none", "l2".
std::string to_string(Aggregation aggregation);
std::string to_string(EmbeddingNorm norm);
/// Parse the names to_string gives; throw InputError listing the valid names.
Aggregation parse_aggregation(const std::string& name);
EmbeddingNorm parse_embedding_norm(const std::string& name);

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
  /// How `edge_weight` in forward() enters the layer (see EdgeWeightMode); kSymmetric only,
  /// since under the sum aggregations the weight is the adjacency entry in both modes.
  TORCH_ARG(EdgeWeightMode, edge_weight_mode) = EdgeWeightMode::kMask;
  /// Neighbour aggregation (see Aggregation); kSymmetric is Kipf & Welling's GCN.
  TORCH_ARG(Aggregation, aggregation) = Aggregation::kSymmetric;
  /// Normalisation of each output row after the bias (see EmbeddingNorm).
  TORCH_ARG(EmbeddingNorm, embedding_norm) = EmbeddingNorm::kNone;
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
  /// Under the sum aggregations only the adjacency's structure is read, not its normalisation
  /// coefficients (so a sub-adjacency made with with_normalisation computes the same rows).
  torch::Tensor forward(const torch::Tensor& x, const GcnAdjacency& adj,
                        const torch::Tensor& edge_weight = {});

  GCNConvOptions options;
  torch::Tensor weight;  ///< [in_features, out_features]
  torch::Tensor bias;    ///< [out_features], undefined without bias
};

TORCH_MODULE(GCNConv);

}  // namespace gnnx::gnn
