// Layer-wise relevance propagation on graph networks as Baldassarre & Azizpour apply it
// ("Explainability Techniques for Graph Convolutional Networks", ICML 2019 workshop on learning
// and reasoning with graph-structured representations): the explained logit handed down from
// the head through the readout and every message-passing layer, each layer taken as the linear
// map its propagation and weights make (LayerPaths), by the ε-, αβ- or γ-rule (relevance_rules.h).
// All arithmetic in float64.

#include <gnnx/explainers/attribution_methods.h>
#include <gnnx/gnn/error.h>

#include <string>
#include <utility>
#include <vector>

#include "machinery.h"
#include "relevance_head.h"
#include "relevance_rules.h"

namespace gnnx::explainers {
namespace {

using detail::RelevanceRule;
using detail::WeightPart;

using detail::through_dense_layers;

torch::Tensor dbl(const torch::Tensor& t) { return detail::to_double(t); }

/// Where one layer's relevance went.
struct LayerRelevance {
  torch::Tensor input;          ///< [N, in] relevance of each input activation
  torch::Tensor edge;           ///< [E] relevance through each edge's message
  torch::Tensor edge_features;  ///< [E] the part of `edge` that ended in the edge's features
};

/// One message-passing layer given as linear paths, from the relevance r_out [N, out] of its
/// outputs (the ReLU passes relevance on unchanged: an output the ReLU zeroed has none).
LayerRelevance layer_relevance(const TargetBatch& batch, const gnn::LayerPaths& paths,
                               const torch::Tensor& a, const torch::Tensor& r_out,
                               const RelevanceRule& rule) {
  const auto& src = batch.adj.src();
  const auto& dst = batch.adj.dst();
  const auto c = dbl(paths.edge_coef);    // [E, H]
  const auto s = dbl(paths.self_coef);    // [N, H]
  const auto w = dbl(paths.message_map);  // [H, in, Z]
  const auto v = dbl(paths.self_map);
  const int64_t heads = w.size(0);
  const int64_t n = a.size(0);
  const int64_t width = w.size(2);

  // The messages: x_j, or GINE's ReLU(x_j + e Lᵀ + b_L).
  const auto a_src = a.index_select(0, src);
  torch::Tensor m = a_src;
  torch::Tensor e, l, b_l;
  if (paths.edge_features.defined()) {
    e = dbl(paths.edge_features);
    l = dbl(paths.edge_linear.weight);
    b_l = dbl(paths.edge_linear.bias);
    auto u = a_src + torch::matmul(e, l.t());
    if (b_l.defined()) u = u + b_l;
    m = torch::relu(u);
  }

  // z = Σ_h (s_h · x V_h + Σ_e c_eh · m_e W_h), the coefficient and the map split by sign
  // together (product_part).
  const detail::LinearStage aggregate = [&](const std::vector<torch::Tensor>& in, WeightPart part) {
    auto z = torch::zeros({n, width}, a.options());
    for (int64_t h = 0; h < heads; ++h) {
      z = z + detail::product_part(s.select(1, h), v[h], part, [&](const auto& u, const auto& map) {
            return u.unsqueeze(1) * torch::matmul(in[0], map);
          });
      z = z.index_add(
          0, dst,
          detail::product_part(c.select(1, h), w[h], part, [&](const auto& u, const auto& map) {
            return u.unsqueeze(1) * torch::matmul(in[1], map);
          }));
    }
    return z;
  };
  const auto bias = dbl(paths.bias);

  torch::Tensor r_z = r_out;
  if (!paths.mlp.empty()) {
    auto z = aggregate({a, m}, WeightPart::kAll);
    if (bias.defined()) z = z + bias;
    r_z = through_dense_layers(paths.mlp, z, r_z, rule);
  }
  const auto r = detail::relevance_step(aggregate, {a, m}, bias, r_z, rule);
  LayerRelevance out;
  out.edge = r[1].sum(1);
  torch::Tensor to_source = r[1];
  out.edge_features = torch::zeros_like(out.edge);
  if (e.defined()) {
    // GINE's message ReLU(x_j + e Lᵀ + b_L): its relevance to x_j (weight 1) and to the edge's
    // features, where that part ends.
    const detail::LinearStage message = [&](const std::vector<torch::Tensor>& in, WeightPart part) {
      const auto from_source = part == WeightPart::kNegative ? torch::zeros_like(in[0]) : in[0];
      return from_source + torch::matmul(in[1], detail::weight_part(l, part).t());
    };
    const auto split = detail::relevance_step(message, {a_src, e}, b_l, r[1], rule);
    to_source = split[0];
    out.edge_features = split[1].sum(1);
  }
  out.input = r[0].index_add(0, src, to_source);
  return out;
}

}  // namespace

LrpOptions LrpOptions::from(const MethodOptions& options) {
  LrpOptions out;
  if (options.lrp_rule) out.rule(*options.lrp_rule);
  if (options.epsilon) out.epsilon(*options.epsilon);
  if (options.alpha) out.alpha(*options.alpha);
  if (options.gamma) out.gamma(*options.gamma);
  return out;
}

Lrp::Lrp(LrpOptions options, TargetOptions target)
    : GradientExplainer(std::move(target)), options_(options) {}

void Lrp::check_model(const gnn::GnnModel& model) const {
  detail::require_linear_paths(model, name());
}

GradientExplainer::Attribution Lrp::attribute(gnn::GnnModel& model, const TargetBatch& batch,
                                              const torch::Tensor& classes,
                                              const ChunkProgress& progress) const {
  torch::NoGradGuard no_grad;
  const RelevanceRule rule = detail::relevance_rule(options_);
  const detail::HeadRelevance top = detail::relevance_from_head(model, batch, classes, rule);
  const auto& fwd = top.forward;
  const auto& f = top.outputs;
  const auto& x = top.x;
  const auto& logit = top.logit;  // [T]
  std::vector<torch::Tensor> r = top.from_head;
  const int64_t layers = static_cast<int64_t>(f.size());

  // The message-passing layers, top-down; each edge collects what flows along it in any layer.
  const torch::Device device = gnn::model_device(model);
  auto edge = torch::zeros({batch.graph.num_edges()}, torch::kDouble);
  auto edge_features = torch::zeros_like(edge);
  torch::Tensor r_input;
  for (int64_t l = layers - 1; l >= 0; --l) {
    const auto& a = l == 0 ? x : f[l - 1];
    const gnn::LayerPaths paths = model.layer_paths(
        l, l == 0 ? batch.graph.x().to(device) : fwd.embeddings[l - 1], batch.adj);
    const LayerRelevance step = layer_relevance(batch, paths, a, r[l], rule);
    edge += step.edge;
    edge_features += step.edge_features;
    if (l > 0) {
      r[l - 1] = r[l - 1] + step.input;
    } else {
      r_input = step.input;
    }
    progress(layers - l, layers);
  }

  Attribution out;
  out.node_scores = r_input.sum(1).to(torch::kFloat);
  out.edge_scores = edge.to(torch::kFloat);
  out.feature_scores = r_input.to(torch::kFloat);
  // What reached the inputs (node features, and GINE's edge features) against the logit: the
  // rest went into the biases and the stabiliser.
  const auto reached =
      detail::part_sum(batch, r_input).sum(1) + torch::zeros({batch.num_parts()}, torch::kDouble)
                                                    .index_add(0, batch.edge_part, edge_features);
  out.diagnostics = {{"relevance_absorbed", logit - reached}, {"explained_logit", logit}};
  out.options = detail::rule_options(options_);
  return out;
}

}  // namespace gnnx::explainers
