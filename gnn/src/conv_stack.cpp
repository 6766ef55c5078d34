#include "conv_stack.h"

#include <torch/types.h>

#include <string>
#include <type_traits>

namespace gnnx::gnn::detail {

torch::Tensor ConvLayer::forward(const torch::Tensor& x, const GcnAdjacency& adj,
                                 const torch::Tensor& edge_mask, const torch::Tensor& edge_attr,
                                 ReluRule relu, Attention attention) {
  return std::visit(
      [&](auto& layer) -> torch::Tensor {
        using T = std::decay_t<decltype(layer)>;
        if constexpr (std::is_same_v<T, GINConv>) {
          return layer->forward(x, adj, edge_mask, relu);
        } else if constexpr (std::is_same_v<T, GINEConv>) {
          return layer->forward(x, adj, edge_attr, edge_mask, relu);
        } else if constexpr (std::is_same_v<T, GATConv>) {
          return layer->forward(x, adj, edge_attr, edge_mask, attention);
        } else {  // GCNConv, GraphConv, SAGEConv
          return layer->forward(x, adj, edge_mask);
        }
      },
      layer_);
}

LayerDescription ConvLayer::describe() const {
  LayerDescription d;
  d.linear_message = false;
  d.linear_paths = true;  // every layer type (layer_paths.cpp)
  std::visit(
      [&](const auto& layer) {
        using T = std::decay_t<decltype(layer)>;
        if constexpr (std::is_same_v<T, GCNConv>) {
          d.kind = "gcn";
          d.in_features = layer->options.in_features();
          d.out_features = layer->options.out_features();
          d.aggregation = layer->options.aggregation();
          d.embedding_norm = layer->options.embedding_norm();
          d.linear_message = true;
        } else if constexpr (std::is_same_v<T, GATConv>) {
          d.kind = "gat";
          d.in_features = layer->options().in_features();
          d.out_features = layer->output_width();
          d.heads = layer->options().heads();
          d.edge_dim = layer->options().edge_dim();
        } else {
          if constexpr (std::is_same_v<T, GINConv>) d.kind = "gin";
          if constexpr (std::is_same_v<T, GINEConv>) {
            d.kind = "gine";
            d.edge_dim = layer->options().edge_dim() > 0 ? layer->options().edge_dim()
                                                         : layer->options().in_features();
          }
          if constexpr (std::is_same_v<T, GraphConv>) d.kind = "graphconv";
          if constexpr (std::is_same_v<T, SAGEConv>) d.kind = "sage";
          d.in_features = layer->options().in_features();
          d.out_features = layer->options().out_features();
        }
      },
      layer_);
  return d;
}

torch::Tensor ConvLayer::message_weight() const {
  return std::visit(
      [&](const auto& layer) -> torch::Tensor {
        using T = std::decay_t<decltype(layer)>;
        if constexpr (std::is_same_v<T, GCNConv>) {
          return layer->weight;
        } else if constexpr (std::is_same_v<T, GraphConv>) {
          return layer->lin_rel()->weight.t();
        } else if constexpr (std::is_same_v<T, SAGEConv>) {
          return layer->lin_l()->weight.t();
        } else if constexpr (std::is_same_v<T, GATConv>) {
          return layer->lin()->weight.t();
        } else {
          TORCH_CHECK(false, "layer_weight: a ", describe().kind,
                      " layer has no linear message map (its messages pass ",
                      std::is_same_v<T, GINConv> ? "an MLP" : "a ReLU and an MLP",
                      "; LayerDescription::linear_message is false)");
          return {};  // not reached
        }
      },
      layer_);
}

std::vector<ConvLayer> make_conv_layers(torch::nn::Module& model, const ModelSpec& spec) {
  std::vector<ConvLayer> layers;
  int64_t in = spec.in_features;
  const int64_t h = spec.hidden;
  for (int64_t i = 0; i < spec.num_layers; ++i) {
    const std::string name = "conv" + std::to_string(i);
    switch (spec.arch) {
      case Architecture::kGcn:
        layers.emplace_back(
            model.register_module(name, GCNConv(GCNConvOptions(in, h)
                                                    .bias_init(spec.bias_init)
                                                    .aggregation(spec.aggregation)
                                                    .embedding_norm(spec.embedding_norm))));
        break;
      case Architecture::kGin:
        layers.emplace_back(
            model.register_module(name, GINConv(GINConvOptions(in, h).train_eps(spec.train_eps))));
        break;
      case Architecture::kGine:
        layers.emplace_back(model.register_module(
            name,
            GINEConv(GINEConvOptions(in, h).edge_dim(spec.edge_dim).train_eps(spec.train_eps))));
        break;
      case Architecture::kGraphConv:
        layers.emplace_back(model.register_module(name, GraphConv(in, h)));
        break;
      case Architecture::kSage:
        layers.emplace_back(model.register_module(name, SAGEConv(in, h)));
        break;
      case Architecture::kGat: {
        GATConv conv(GATConvOptions(in, h / spec.heads).heads(spec.heads).edge_dim(spec.edge_dim));
        if (spec.bias_init != 0) {
          torch::NoGradGuard no_grad;
          conv->bias().fill_(spec.bias_init);
        }
        layers.emplace_back(model.register_module(name, conv));
        break;
      }
    }
    in = h;
  }
  TORCH_INTERNAL_ASSERT(static_cast<int64_t>(layers.size()) == spec.num_layers,
                        "unknown Architecture ", static_cast<int>(spec.arch));
  return layers;
}

}  // namespace gnnx::gnn::detail
