#pragma once
// The message-passing layers of a model, whatever their Architecture (models.cpp): one call
// signature, one description and one message map per layer. Private to gnn.

#include <gnnx/gnn/gat_conv.h>
#include <gnnx/gnn/gcn_conv.h>
#include <gnnx/gnn/gin_conv.h>
#include <gnnx/gnn/gine_conv.h>
#include <gnnx/gnn/graph_conv.h>
#include <gnnx/gnn/models.h>
#include <gnnx/gnn/sage_conv.h>

#include <variant>
#include <vector>

namespace gnnx::gnn::detail {

class ConvLayer {
 public:
  using Holder = std::variant<GCNConv, GINConv, GINEConv, GraphConv, SAGEConv, GATConv>;
  explicit ConvLayer(Holder layer) : layer_(std::move(layer)) {}

  /// x [N, in] -> [N, out]. edge_mask undefined or [E]; edge_attr [E, D] for the layers that
  /// read edge features (ignored by the others); relu the backward rule of the ReLUs inside the
  /// layer (GIN's MLP, GINE's messages); attention whether GAT's backward goes through α.
  torch::Tensor forward(const torch::Tensor& x, const GcnAdjacency& adj,
                        const torch::Tensor& edge_mask, const torch::Tensor& edge_attr,
                        ReluRule relu, Attention attention);

  LayerDescription describe() const;

  /// [in, out] the map of the neighbour messages (GnnModel::layer_weight): GCN's weight,
  /// GraphConv's lin_rel, SAGE's lin_l, GAT's lin (transposed, all heads). Throws c10::Error for
  /// GIN and GINE, whose messages pass an MLP.
  torch::Tensor message_weight() const;

  /// The layer reading x [N, in] over adj (edge_attr as forward's) as linear paths
  /// (GnnModel::layer_paths; layer_paths.cpp). Throws c10::Error for GCN layers.
  LayerPaths paths(const torch::Tensor& x, const GcnAdjacency& adj, const torch::Tensor& edge_attr);

 private:
  Holder layer_;
};

/// What models.h's forward declaration names.
struct ConvLayers {
  std::vector<ConvLayer> layers;
};

/// spec.num_layers layers of spec.arch, spec.hidden wide, registered in `model` as conv0,
/// conv1, ... (GCN: spec's bias_init, aggregation and embedding norm; GIN/GINE: a two-layer MLP,
/// ε learned with spec.train_eps; GAT: spec.heads heads of hidden / heads, concatenated, bias
/// starting at bias_init; GINE and GAT read spec.edge_dim edge features).
std::vector<ConvLayer> make_conv_layers(torch::nn::Module& model, const ModelSpec& spec);

}  // namespace gnnx::gnn::detail
