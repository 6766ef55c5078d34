// LRP's view of one message-passing layer (layer_terms.h).

#include "layer_terms.h"

#include "machinery.h"

namespace gnnx::explainers::detail {

Slots slots_of(const gnn::GcnAdjacency& adj, const torch::Tensor& node) {
  const auto& csr = adj.csr();
  const auto begin = csr.rowptr.index_select(0, node);
  const auto degree = csr.rowptr.index_select(0, node + 1) - begin;
  Slots s;
  s.node = node;
  s.row = torch::repeat_interleave(degree);
  const auto first_of_row = (degree.cumsum(0) - degree).index_select(0, s.row);
  const auto entry =
      begin.index_select(0, s.row) + torch::arange(s.row.size(0), torch::kLong) - first_of_row;
  s.edge = csr.perm.index_select(0, entry);
  s.source = csr.col.index_select(0, entry);
  return s;
}

LinearStage slot_stage(const LayerTerms& t, const Slots& slots) {
  const auto s = t.self_coef.index_select(0, slots.node);
  const auto c = t.edge_coef.index_select(0, slots.edge);
  const int64_t rows = slots.node.size(0);
  return [&t, s, c, rows, row = slots.row](const std::vector<torch::Tensor>& in, WeightPart part) {
    auto z = torch::zeros({rows, t.message_map.size(2)}, in[0].options());
    for (int64_t h = 0; h < t.message_map.size(0); ++h) {
      z = z +
          product_part(s.select(1, h), t.self_map[h], part, [&](const auto& u, const auto& map) {
            return u.unsqueeze(1) * torch::matmul(in[0], map);
          });
      z = z.index_add(
          0, row,
          product_part(c.select(1, h), t.message_map[h], part, [&](const auto& u, const auto& map) {
            return u.unsqueeze(1) * torch::matmul(in[1], map);
          }));
    }
    return z;
  };
}

LayerTerms layer_terms(const gnn::LayerPaths& paths, const torch::Tensor& a,
                       const gnn::GcnAdjacency& adj) {
  LayerTerms t;
  t.a = a;
  t.edge_coef = to_double(paths.edge_coef);
  t.self_coef = to_double(paths.self_coef);
  t.message_map = to_double(paths.message_map);
  t.self_map = to_double(paths.self_map);
  t.bias = to_double(paths.bias);
  t.mlp = paths.mlp;
  t.messages = a.index_select(0, adj.src());
  if (paths.edge_features.defined()) {
    t.edge_features = to_double(paths.edge_features);
    t.edge_weight = to_double(paths.edge_linear.weight);
    t.edge_bias = to_double(paths.edge_linear.bias);
    auto u = t.messages + torch::matmul(t.edge_features, t.edge_weight.t());
    if (t.edge_bias.defined()) u = u + t.edge_bias;
    t.messages = torch::relu(u);
  }
  t.has_self = (t.self_coef != 0).any(1).to(torch::kDouble);
  if (!t.mlp.empty()) {
    const Slots all = slots_of(adj, torch::arange(a.size(0), torch::kLong));
    t.mlp_input = slot_stage(t, all)({a, t.messages.index_select(0, all.edge)}, WeightPart::kAll);
    if (t.bias.defined()) t.mlp_input = t.mlp_input + t.bias;
  }
  return t;
}

MessageRelevance message_relevance(const LayerTerms& t, const Slots& slots, const torch::Tensor& r,
                                   const RelevanceRule& rule) {
  const auto& l = t.edge_weight;
  const LinearStage message = [&l](const std::vector<torch::Tensor>& in, WeightPart part) {
    const auto from_source = part == WeightPart::kNegative ? torch::zeros_like(in[0]) : in[0];
    return from_source + torch::matmul(in[1], weight_part(l, part).t());
  };
  const auto split = relevance_step(
      message, {t.a.index_select(0, slots.source), t.edge_features.index_select(0, slots.edge)},
      t.edge_bias, r, rule);
  return {split[0], split[1].sum(1)};
}

}  // namespace gnnx::explainers::detail
