// Each message-passing layer as the linear paths top-down relevance rules follow
// (ConvLayer::paths, GnnModel::layer_paths; LayerPaths in model_hooks.h). The layer itself says
// what its coefficients are: SAGE's 1/deg as its forward computes it, GAT's α from its own
// forward pass, GIN's 1 + ε from its parameter, so an explainer never recomputes a layer.

#include "conv_stack.h"
#include "device_adjacency.h"
#include "gin_mlp.h"
#include "message_passing.h"

#include <torch/types.h>

#include <type_traits>

namespace gnnx::gnn::detail {
namespace {

/// One head, the same map for the messages and the node itself: [1, in, Z] each.
LayerPaths one_head(const torch::Tensor& edge_coef, const torch::Tensor& self_coef,
                    const torch::Tensor& message, const torch::Tensor& self) {
  LayerPaths p;
  p.edge_coef = edge_coef.unsqueeze(1);
  p.self_coef = self_coef.unsqueeze(1);
  p.message_map = message.unsqueeze(0);
  p.self_map = self.unsqueeze(0);
  return p;
}

/// GIN and GINE: z = (1 + ε) x_i + Σ_j m_e through identity maps, then the MLP.
template <typename Layer>
LayerPaths gin_paths(const Layer& layer, const GcnAdjacency& adj, const torch::Tensor& x) {
  const int64_t in = x.size(1);
  const auto eye = torch::eye(in, x.options());
  LayerPaths p =
      one_head(torch::ones({adj.num_edges()}, x.options()),
               (1 + layer->eps().to(x.scalar_type())).expand({adj.num_nodes()}), eye, eye);
  p.mlp = gin_mlp_layers(layer->nn());
  return p;
}

/// GAT: each head's coefficients from the layer's own forward pass; lin split into the heads'
/// column blocks (concatenated heads) or averaged over them.
LayerPaths gat_paths(GATConv& layer, const GcnAdjacency& adj, const torch::Tensor& x,
                     const torch::Tensor& edge_attr) {
  const GATOutput pass = layer->forward_with_attention(x, adj, edge_attr);
  const auto& o = layer->options();
  const int64_t heads = o.heads(), c = o.out_features(), in = o.in_features();
  const auto w = layer->lin()->weight.t().to(x.scalar_type());  // [in, heads·C]
  std::vector<torch::Tensor> maps;
  for (int64_t h = 0; h < heads; ++h) {
    const auto block = w.slice(1, h * c, (h + 1) * c);
    if (o.concat()) {
      auto m = torch::zeros({in, heads * c}, x.options());
      m.slice(1, h * c, (h + 1) * c).copy_(block);
      maps.push_back(m);
    } else {
      maps.push_back(block / static_cast<double>(heads));
    }
  }
  LayerPaths p;
  p.edge_coef = pass.alpha;  // the graph's own self-loops have α = 0 (replaced, as in PyG)
  p.self_coef = pass.self_alpha.defined() ? pass.self_alpha
                                          : torch::zeros({adj.num_nodes(), heads}, x.options());
  p.message_map = torch::stack(maps);
  p.self_map = p.message_map;
  p.bias = layer->bias();
  return p;
}

/// GCN: its propagation's coefficients (as its forward reads them: the adjacency's normalisation,
/// or the raw sum's 1 per edge and 0 or 1 for the node itself), W on both terms.
LayerPaths gcn_paths(Aggregation aggregation, const GcnAdjacency& adj, const torch::Tensor& x,
                     const torch::Tensor& weight) {
  torch::Tensor edge_coef, self_coef;
  if (aggregation == Aggregation::kSymmetric) {
    edge_coef = adj.edge_norm().to(x.options());
    self_coef = adj.self_norm().to(x.options());
  } else {
    edge_coef = torch::ones({adj.num_edges()}, x.options());
    self_coef = aggregation == Aggregation::kSumSelf ? torch::ones({adj.num_nodes()}, x.options())
                                                     : torch::zeros({adj.num_nodes()}, x.options());
  }
  const auto w = weight.to(x.scalar_type());
  return one_head(edge_coef, self_coef, w, w);
}

}  // namespace

LayerPaths ConvLayer::paths(const torch::Tensor& x, const GcnAdjacency& adj,
                            const torch::Tensor& edge_attr) {
  torch::NoGradGuard no_grad;
  return std::visit(
      [&](auto& layer) -> LayerPaths {
        using T = std::decay_t<decltype(layer)>;
        if constexpr (std::is_same_v<T, GCNConv>) {
          check_node_features("GCNConv", adj, x, layer->options.in_features());
          LayerPaths p = gcn_paths(layer->options.aggregation(), adj, x, layer->weight);
          p.bias = layer->bias;
          return p;
        } else if constexpr (std::is_same_v<T, GraphConv>) {
          check_node_features("GraphConv", adj, x, layer->options().in_features());
          LayerPaths p = one_head(torch::ones({adj.num_edges()}, x.options()),
                                  torch::ones({adj.num_nodes()}, x.options()),
                                  layer->lin_rel()->weight.t(), layer->lin_root()->weight.t());
          p.bias = layer->lin_rel()->bias;
          return p;
        } else if constexpr (std::is_same_v<T, SAGEConv>) {
          check_node_features("SAGEConv", adj, x, layer->options().in_features());
          // 1 / deg of each edge's target, as SAGEConv's forward divides.
          const auto inv_deg = in_degree(adj, x).clamp_min(1).reciprocal();
          const auto per_edge = inv_deg.index_select(0, adj.on_device(x.device()).dst);
          const auto& root = layer->lin_r();
          const auto w_l = layer->lin_l()->weight.t();
          LayerPaths p = one_head(per_edge,
                                  root ? torch::ones({adj.num_nodes()}, x.options())
                                       : torch::zeros({adj.num_nodes()}, x.options()),
                                  w_l, root ? root->weight.t() : torch::zeros_like(w_l));
          p.bias = layer->lin_l()->bias;
          return p;
        } else if constexpr (std::is_same_v<T, GINConv>) {
          check_node_features("GINConv", adj, x, layer->options().in_features());
          return gin_paths(layer, adj, x);
        } else if constexpr (std::is_same_v<T, GINEConv>) {
          check_node_features("GINEConv", adj, x, layer->options().in_features());
          const int64_t in = layer->options().in_features();
          const auto& lin = layer->lin();
          check_edge_attr("GINEConv", adj, edge_attr, lin ? layer->options().edge_dim() : in, x);
          LayerPaths p = gin_paths(layer, adj, x);
          p.edge_features = edge_attr.to(x.scalar_type());
          p.edge_linear = lin ? DenseLayer{lin->weight, lin->bias}
                              : DenseLayer{torch::eye(in, x.options()), torch::Tensor()};
          return p;
        } else {  // GATConv
          return gat_paths(layer, adj, x, edge_attr);
        }
      },
      layer_);
}

}  // namespace gnnx::gnn::detail
