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

#include "layer_terms.h"
#include "machinery.h"
#include "relevance_head.h"
#include "relevance_rules.h"

namespace gnnx::explainers {
namespace {

using detail::RelevanceRule;
using detail::through_dense_layers;

/// Where one layer's relevance went.
struct LayerRelevance {
  torch::Tensor input;          ///< [N, in] relevance of each input activation
  torch::Tensor edge;           ///< [E] relevance through each edge's message
  torch::Tensor edge_features;  ///< [E] the part of `edge` that ended in the edge's features
};

/// One message-passing layer given as linear paths, from the relevance r_out [N, out] of its
/// outputs (the ReLU passes relevance on unchanged: an output the ReLU zeroed has none): every
/// node's row through its slots at once (layer_terms.h, shared with GNN-LRP).
LayerRelevance layer_relevance(const TargetBatch& batch, const gnn::LayerPaths& paths,
                               const torch::Tensor& a, const torch::Tensor& r_out,
                               const RelevanceRule& rule) {
  const detail::LayerTerms t = detail::layer_terms(paths, a, batch.adj);
  const detail::Slots all = detail::slots_of(batch.adj, torch::arange(a.size(0), torch::kLong));
  torch::Tensor r_z = r_out;
  if (!t.mlp.empty()) r_z = through_dense_layers(t.mlp, t.mlp_input, r_z, rule);
  const auto r = detail::relevance_step(
      detail::slot_stage(t, all), {a, t.messages.index_select(0, all.edge)}, t.bias, r_z, rule);
  torch::Tensor to_source = r[1];
  auto slot_features = torch::zeros({all.edge.size(0)}, a.options());
  if (t.edge_features.defined()) {
    const detail::MessageRelevance split = detail::message_relevance(t, all, r[1], rule);
    to_source = split.to_source;
    slot_features = split.edge_features;
  }
  const auto per_edge = torch::zeros({t.messages.size(0)}, a.options());
  LayerRelevance out;
  out.edge = per_edge.index_add(0, all.edge, r[1].sum(1));
  out.edge_features = per_edge.index_add(0, all.edge, slot_features);
  out.input = r[0].index_add(0, all.source, to_source);
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
