// Excitation backprop (Zhang, Lin, Brandt, Shen, Sclaroff: "Top-down Neural Attention by
// Excitation Backprop", ECCV 2016) on GCNs as Pope et al. (CVPR 2019) adapt it, on the other
// layer types through their linear paths (excitation_layers.cpp), and its contrastive variant.
// All arithmetic in float64: the maps are ratios of small sums.

#include <gnnx/explainers/gradient_methods.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/max_readout.h>

#include <string>
#include <utility>
#include <vector>

#include "excitation_layers.h"
#include "machinery.h"

namespace gnnx::explainers {
namespace {

struct Maps {
  torch::Tensor node;  // [N]
  torch::Tensor edge;  // [E]
};

// The EB maps of one classifier direction: sign = +1 for class c, -1 for its negation.
// `paths` holds the linear paths of every layer that is not GCN's (an empty entry for those).
Maps excitation_maps(gnn::GnnModel& model, const TargetBatch& batch,
                     const std::vector<torch::Tensor>& f, const std::vector<gnn::LayerPaths>& paths,
                     const torch::Tensor& x, const torch::Tensor& classes, double sign) {
  const auto dbl = torch::kDouble;
  const int64_t layers = static_cast<int64_t>(f.size());
  const int64_t n = x.size(0);
  std::vector<torch::Tensor> p(layers);  // winning probability of each layer's outputs
  for (int64_t l = 0; l < layers; ++l) p[l] = torch::zeros_like(f[l]);
  const gnn::ModelDescription d = model.describe();
  const std::vector<gnn::DenseLayer> head = model.head_layers();
  // The head's weights in float64 on the host (to_double), where the maps are computed.
  const auto w =
      (sign * detail::to_double(head.back().weight).index_select(0, classes)).clamp_min(0);

  if (d.head_input != gnn::HeadInput::kReadout) {
    // Head: P(y_c) = 1 split over the target node's head inputs a_j ∝ a_j W⁺_{c,j}.
    const bool concat = d.head_input == gnn::HeadInput::kConcatenatedLayers;
    std::vector<torch::Tensor> inputs;
    if (concat) {
      for (const auto& fl : f) inputs.push_back(fl.index_select(0, batch.target_pos));
    } else {
      inputs.push_back(f.back().index_select(0, batch.target_pos));
    }
    const auto a = torch::cat(inputs, 1);  // [T, D]
    const auto contrib = a * w;
    const auto share =
        detail::safe_ratio(contrib, contrib.sum(1, /*keepdim=*/true).expand_as(contrib));
    const int64_t hidden = f.back().size(1);
    const int64_t first = concat ? 0 : layers - 1;
    for (int64_t l = first; l < layers; ++l) {
      p[l].index_add_(0, batch.target_pos,
                      share.slice(1, (l - first) * hidden, (l - first + 1) * hidden));
    }
  } else {
    const auto& last = f.back();
    const auto pooled = gnn::readout(last, batch.part, batch.num_parts(), d.readout);
    torch::Tensor p_pooled;  // [T, H]
    if (head.size() == 2) {
      const auto w1 = detail::to_double(head.front().weight);
      const auto h =
          torch::relu(torch::matmul(pooled, w1.t()) + detail::to_double(head.front().bias));
      const auto contrib = h * w;
      const auto p_h =
          detail::safe_ratio(contrib, contrib.sum(1, /*keepdim=*/true).expand_as(contrib));
      p_pooled = detail::linear_step(pooled, w1.clamp_min(0), p_h);
    } else {
      const auto contrib = pooled * w;
      p_pooled = detail::safe_ratio(contrib, contrib.sum(1, /*keepdim=*/true).expand_as(contrib));
    }
    const auto p_node = p_pooled.index_select(0, batch.part);  // [N, H]
    if (d.readout == gnn::Readout::kMax) {
      // Max pooling: the arg-max node wins all of its unit's mass; ties share it, by the rule
      // of the model's own backward pass (max_readout.h: within a relative tolerance, so that
      // the map does not depend on which maxima float32 rounding left bitwise equal).
      p.back() = gnn::max_readout_shares(last, batch.part, batch.num_parts(), pooled) * p_node;
    } else {
      // Mean and sum: weights 1/N_t resp. 1, identical after normalisation.
      const auto total = detail::part_sum(batch, last).index_select(0, batch.part);
      p.back() = detail::safe_ratio(last * p_node, total);
    }
  }

  // The message-passing layers, top-down; each edge collects the mass that flows along it.
  auto edge = torch::zeros({batch.graph.num_edges()}, dbl);
  torch::Tensor p_input;
  for (int64_t l = layers - 1; l >= 0; --l) {
    const auto& a = l == 0 ? x : f[l - 1];  // [N, K]
    const detail::LayerMass mass =
        d.layers[l].linear_message
            ? detail::gcn_layer_mass(batch, d.layers[l].aggregation, a, model.layer_weight(l), p[l])
            : detail::paths_layer_mass(batch, paths[l], a, p[l]);
    edge += mass.edge;
    if (l > 0) {
      p[l - 1] += mass.input;
    } else {
      p_input = mass.input;
    }
  }
  TORCH_INTERNAL_ASSERT(p_input.defined() && p_input.size(0) == n);
  return {p_input.sum(1), edge};
}

}  // namespace

ExcitationBackpropOptions ExcitationBackpropOptions::from(const MethodOptions& /*options*/) {
  return {};
}

ExcitationBackprop::ExcitationBackprop(ExcitationBackpropOptions options, TargetOptions target)
    : GradientExplainer(std::move(target)), options_(options) {}

void ExcitationBackprop::check_model(const gnn::GnnModel& model) const {
  const gnn::ModelDescription d = model.describe();
  for (const auto& layer : d.layers) {
    if (!layer.linear_message && !layer.linear_paths) {
      throw InputError(name() + " does not apply to " + layer.kind +
                       " layers that offer neither linear messages nor linear paths: it needs a "
                       "gnnx NodeClassifier or GraphClassifier, or another model whose layers "
                       "are propagate(h W) (LayerDescription::linear_message) or linear paths "
                       "(GnnModel::layer_paths)");
    }
  }
  if (d.head_input == gnn::HeadInput::kReadoutOfConcatenatedLayers) {
    throw InputError(name() + " does not apply to " + d.layers.front().kind +
                     " models with readout_concat: its readout rule hands the head's mass to "
                     "the last layer's nodes, and this model pools every layer's output "
                     "concatenated");
  }
  const bool linear = (d.relu_rules || d.fixed_attention) && d.head_layers <= 2;
  if (!linear) {
    throw InputError(name() +
                     ": needs a gnnx NodeClassifier or GraphClassifier, or another model whose "
                     "description offers ReLU layers with linear messages (propagate(h W)) or "
                     "linear paths and a head of at most two dense layers");
  }
}

namespace {

// The linear paths of every layer that is not GCN's, in the pass `embeddings` come from (an
// empty entry for GCN layers). Throws InputError where excitation backprop's proportional
// shares are undefined: a negative coefficient (GIN's 1 + ε < 0) or negative edge features.
std::vector<gnn::LayerPaths> all_layer_paths(gnn::GnnModel& model, const TargetBatch& batch,
                                             const std::vector<torch::Tensor>& embeddings,
                                             const std::string& method) {
  const gnn::ModelDescription d = model.describe();
  const torch::Device device = gnn::model_device(model);
  std::vector<gnn::LayerPaths> out(d.layers.size());
  for (int64_t l = 0; l < d.num_layers(); ++l) {
    if (d.layers[l].linear_message) continue;
    const auto& h = l == 0 ? batch.graph.x().to(device) : embeddings[l - 1];
    gnn::LayerPaths paths = model.layer_paths(l, h, batch.adj);
    const std::string where =
        method + " does not apply to " + d.layers[l].kind + ": layer " + std::to_string(l);
    for (const auto& coef : {paths.edge_coef, paths.self_coef}) {
      if (coef.numel() > 0 && coef.min().item<double>() < 0) {
        throw InputError(where + " weighs a term by " + c10::str(coef.min().item<double>()) +
                         " < 0 (GIN's and GINE's own-term weight is 1 + ε), and excitation "
                         "backprop hands mass down in proportion to non-negative coefficients");
      }
    }
    const auto& e = paths.edge_features;
    if (e.defined() && e.numel() > 0 && e.min().item<double>() < 0) {
      throw InputError(where + " reads negative edge features (minimum " +
                       c10::str(e.min().item<double>()) +
                       "): they are the messages' input activations, and winning probabilities "
                       "are proportional to them");
    }
    out[l] = std::move(paths);
  }
  return out;
}

}  // namespace

GradientExplainer::Attribution ExcitationBackprop::attribute(gnn::GnnModel& model,
                                                             const TargetBatch& batch,
                                                             const torch::Tensor& classes,
                                                             const ChunkProgress& progress) const {
  torch::NoGradGuard no_grad;
  const auto x = batch.graph.x().to(torch::kDouble);
  if (x.numel() > 0 && x.min().item<double>() < 0) {
    throw InputError(name() +
                     ": excitation backprop needs non-negative node features (they are the "
                     "input layer's activations, and winning probabilities are proportional to "
                     "them), got a minimum of " +
                     c10::str(x.min().item<double>()));
  }
  const auto fwd = forward_targets(model, batch, batch.graph.x());
  const auto paths = all_layer_paths(model, batch, fwd.embeddings, name());
  std::vector<torch::Tensor> f;  // float64 on the host, whatever device the model computed on
  for (const auto& e : fwd.embeddings) f.push_back(detail::to_double(e));
  Attribution a;
  const Maps pos = excitation_maps(model, batch, f, paths, x, classes, 1.0);
  if (options_.contrastive()) {
    const Maps neg = excitation_maps(model, batch, f, paths, x, classes, -1.0);
    a.node_scores = torch::relu(pos.node - neg.node);
    a.edge_scores = torch::relu(pos.edge - neg.edge);
  } else {
    a.node_scores = pos.node;
    a.edge_scores = pos.edge;
  }
  a.options = {{"contrastive", options_.contrastive() ? "true" : "false"}};
  return a;
}

}  // namespace gnnx::explainers
