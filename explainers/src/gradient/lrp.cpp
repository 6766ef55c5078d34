// Layer-wise relevance propagation on graph networks as Baldassarre & Azizpour apply it
// ("Explainability Techniques for Graph Convolutional Networks", ICML 2019 workshop on learning
// and reasoning with graph-structured representations): the explained logit handed down from
// the head through the readout and every message-passing layer, each layer taken as the linear
// map its propagation and weights make (LayerPaths), by the ε- or αβ-rule (relevance_rules.h).
// All arithmetic in float64.

#include <gnnx/explainers/attribution_methods.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/max_readout.h>

#include <string>
#include <utility>
#include <vector>

#include "machinery.h"
#include "relevance_rules.h"

namespace gnnx::explainers {
namespace {

using detail::RelevanceRule;
using detail::WeightPart;

torch::Tensor dbl(const torch::Tensor& t) {
  return t.defined() ? t.detach().to(torch::kCPU, torch::kDouble) : t;
}

/// x Wᵀ, the torch::nn::Linear convention of DenseLayer (bias apart).
detail::LinearStage dense_stage(const torch::Tensor& weight) {
  const auto w = dbl(weight);
  return [w](const std::vector<torch::Tensor>& in, WeightPart part) {
    return torch::matmul(in[0], detail::weight_part(w, part).t());
  };
}

/// Relevance through a stack of dense layers with a ReLU between each two (a head, GIN's MLP):
/// the layers' inputs from `input` forward, then the rule from the last layer's output down.
torch::Tensor through_dense_layers(const std::vector<gnn::DenseLayer>& layers,
                                   const torch::Tensor& input, torch::Tensor relevance,
                                   const RelevanceRule& rule) {
  std::vector<torch::Tensor> inputs = {input};
  for (size_t k = 0; k + 1 < layers.size(); ++k) {
    auto z = torch::matmul(inputs.back(), dbl(layers[k].weight).t());
    if (layers[k].bias.defined()) z = z + dbl(layers[k].bias);
    inputs.push_back(torch::relu(z));
  }
  for (size_t k = layers.size(); k-- > 0;) {
    relevance = detail::relevance_step(dense_stage(layers[k].weight), {inputs[k]},
                                       dbl(layers[k].bias), relevance, rule)[0];
  }
  return relevance;
}

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

/// Sum or mean readout of rows [N, D] into their parts [T, D]: coefficients 1 or 1/N_t, no
/// negative part.
detail::LinearStage pooling_stage(const TargetBatch& batch, gnn::Readout readout) {
  const auto counts =
      torch::zeros({batch.num_parts()}, torch::kDouble)
          .index_add(0, batch.part, torch::ones({batch.part.size(0)}, torch::kDouble))
          .clamp_min(1)
          .unsqueeze(1);
  return [&batch, readout, counts](const std::vector<torch::Tensor>& in, WeightPart part) {
    auto pooled = torch::zeros({batch.num_parts(), in[0].size(1)}, in[0].options());
    if (part == WeightPart::kNegative) return pooled;
    pooled = pooled.index_add(0, batch.part, in[0]);
    return readout == gnn::Readout::kMean ? pooled / counts : pooled;
  };
}

}  // namespace

LrpOptions LrpOptions::from(const MethodOptions& options) {
  LrpOptions out;
  if (options.lrp_rule) out.rule(*options.lrp_rule);
  if (options.epsilon) out.epsilon(*options.epsilon);
  if (options.alpha) out.alpha(*options.alpha);
  return out;
}

Lrp::Lrp(LrpOptions options, TargetOptions target)
    : GradientExplainer(std::move(target)), options_(options) {}

void Lrp::check_model(const gnn::GnnModel& model) const {
  const gnn::ModelDescription d = model.describe();
  for (const auto& layer : d.layers) {
    if (!layer.linear_paths) {
      throw InputError(name() + " does not apply to " + layer.kind +
                       " layers that the model does not describe as linear paths "
                       "(GnnModel::layer_paths): relevance is handed down along them");
    }
  }
  if (!d.relu_rules && !d.fixed_attention) {
    throw InputError(name() +
                     ": needs a model whose every nonlinearity is a ReLU (LRP passes relevance "
                     "through them unchanged) or attention it can hold fixed");
  }
}

GradientExplainer::Attribution Lrp::attribute(gnn::GnnModel& model, const TargetBatch& batch,
                                              const torch::Tensor& classes,
                                              const ChunkProgress& progress) const {
  torch::NoGradGuard no_grad;
  RelevanceRule rule;
  rule.kind = options_.rule() == LrpRule::kEpsilon ? RelevanceRule::Kind::kEpsilon
                                                   : RelevanceRule::Kind::kAlphaBeta;
  rule.epsilon = options_.epsilon();
  rule.alpha = options_.alpha();

  const gnn::ModelDescription d = model.describe();
  const auto fwd = forward_targets(model, batch, batch.graph.x());
  const int64_t layers = d.num_layers();
  std::vector<torch::Tensor> f;  // each layer's output, float64
  for (const auto& h : fwd.embeddings) f.push_back(dbl(h));
  const auto x = dbl(batch.graph.x());

  // The head's input [T, D]: the target rows (node task) or the readout (graph task).
  const bool pooled = d.task == gnn::Task::kGraphClassification;
  const bool all_layers = d.head_input == gnn::HeadInput::kConcatenatedLayers ||
                          d.head_input == gnn::HeadInput::kReadoutOfConcatenatedLayers;
  const auto rows = all_layers ? torch::cat(f, 1) : f.back();  // [N, D]
  const auto head_input = pooled ? gnn::readout(rows, batch.part, batch.num_parts(), d.readout)
                                 : rows.index_select(0, batch.target_pos);

  // The explained logit, recomputed in float64: the relevance the head starts from.
  const std::vector<gnn::DenseLayer> head = model.head_layers();
  torch::Tensor h = head_input;
  for (size_t k = 0; k < head.size(); ++k) {
    h = torch::matmul(h, dbl(head[k].weight).t());
    if (head[k].bias.defined()) h = h + dbl(head[k].bias);
    if (k + 1 < head.size()) h = torch::relu(h);
  }
  const auto logit = h.gather(1, classes.unsqueeze(1));  // [T, 1]
  const auto r_logits = torch::zeros_like(h).scatter(1, classes.unsqueeze(1), logit);
  const auto r_head = through_dense_layers(head, head_input, r_logits, rule);  // [T, D]

  // Down to each node's rows.
  torch::Tensor r_rows;
  if (!pooled) {
    r_rows = torch::zeros_like(rows).index_add(0, batch.target_pos, r_head);
  } else if (d.readout == gnn::Readout::kMax) {
    // The arg-max node takes its unit's relevance; tied maxima share it by the model's own rule
    // (max_readout.h).
    r_rows = gnn::max_readout_shares(rows, batch.part, batch.num_parts(), head_input) *
             r_head.index_select(0, batch.part);
  } else {
    r_rows = detail::relevance_step(pooling_stage(batch, d.readout), {rows}, {}, r_head, rule)[0];
  }
  std::vector<torch::Tensor> r(layers);
  const int64_t hidden = f.back().size(1);
  for (int64_t l = 0; l < layers; ++l) {
    if (all_layers) {
      r[l] = r_rows.slice(1, l * hidden, (l + 1) * hidden);
    } else {
      r[l] = l + 1 == layers ? r_rows : torch::zeros_like(f[l]);
    }
  }

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
  out.diagnostics = {{"relevance_absorbed", logit.squeeze(1) - reached},
                     {"explained_logit", logit.squeeze(1)}};
  out.options = {{"lrp_rule", to_string(options_.rule())}};
  if (options_.rule() == LrpRule::kEpsilon) {
    out.options["epsilon"] = c10::str(options_.epsilon());
  } else {
    out.options["alpha"] = c10::str(options_.alpha());
    out.options["beta"] = c10::str(options_.alpha() - 1);
  }
  return out;
}

}  // namespace gnnx::explainers
