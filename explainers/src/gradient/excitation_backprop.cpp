// Excitation backprop (Zhang, Lin, Brandt, Shen, Sclaroff: "Top-down Neural Attention by
// Excitation Backprop", ECCV 2016) on GCNs as Pope et al. (CVPR 2019) adapt it, and its
// contrastive variant. All arithmetic in float64: the maps are ratios of small sums.

#include <gnnx/explainers/gradient_methods.h>
#include <gnnx/gnn/error.h>

#include <string>

#include "machinery.h"

namespace gnnx::explainers {
namespace {

// num / den where den > 0, else 0 (mass reaching a unit with no positive input is dropped).
torch::Tensor safe_ratio(const torch::Tensor& num, const torch::Tensor& den) {
  return torch::where(den > 0, num / den.clamp_min(1e-300), torch::zeros_like(num));
}

// One EB step through a per-target linear map out[t, j] = Σ_i a[t, i] W[j, i] (W ≥ 0 given):
// P_in[t, i] = a[t, i] Σ_j W[j, i] P_out[t, j] / Σ_i' a[t, i'] W[j, i'].
torch::Tensor linear_step(const torch::Tensor& a, const torch::Tensor& w_pos,
                          const torch::Tensor& p_out) {
  const auto den = torch::matmul(a, w_pos.t());  // [T, M]
  return a * torch::matmul(safe_ratio(p_out, den), w_pos);
}

struct Maps {
  torch::Tensor node;  // [N]
  torch::Tensor edge;  // [E]
};

// The EB maps of one classifier direction: sign = +1 for class c, -1 for its negation.
Maps excitation_maps(gnn::GnnModel& model, const TargetBatch& batch,
                     const std::vector<torch::Tensor>& f, const torch::Tensor& x,
                     const torch::Tensor& classes, double sign) {
  const auto dbl = torch::kDouble;
  const int64_t layers = static_cast<int64_t>(f.size());
  const int64_t n = x.size(0);
  std::vector<torch::Tensor> p(layers);  // winning probability of each GCN layer's outputs
  for (int64_t l = 0; l < layers; ++l) p[l] = torch::zeros_like(f[l]);
  const gnn::ModelDescription d = model.describe();
  const std::vector<gnn::DenseLayer> head = model.head_layers();
  const auto w = (sign * head.back().weight.detach().to(dbl).index_select(0, classes)).clamp_min(0);

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
    const auto share = safe_ratio(contrib, contrib.sum(1, /*keepdim=*/true).expand_as(contrib));
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
      const auto w1 = head.front().weight.detach().to(dbl);
      const auto h =
          torch::relu(torch::matmul(pooled, w1.t()) + head.front().bias.detach().to(dbl));
      const auto contrib = h * w;
      const auto p_h = safe_ratio(contrib, contrib.sum(1, /*keepdim=*/true).expand_as(contrib));
      p_pooled = linear_step(pooled, w1.clamp_min(0), p_h);
    } else {
      const auto contrib = pooled * w;
      p_pooled = safe_ratio(contrib, contrib.sum(1, /*keepdim=*/true).expand_as(contrib));
    }
    const auto p_node = p_pooled.index_select(0, batch.part);  // [N, H]
    if (d.readout == gnn::Readout::kMax) {
      // Max pooling: the arg-max node wins all of its unit's mass; ties share it.
      const auto winners = (last == pooled.index_select(0, batch.part)).to(dbl);
      const auto count = detail::part_sum(batch, winners).index_select(0, batch.part);
      p.back() = safe_ratio(winners * p_node, count);
    } else {
      // Mean and sum: weights 1/N_t resp. 1, identical after normalisation.
      const auto total = detail::part_sum(batch, last).index_select(0, batch.part);
      p.back() = safe_ratio(last * p_node, total);
    }
  }

  // GCN layers, top-down: out[n, k] = Σ_{n', k'} Â_{n,n'} a[n', k'] W_{k',k}.
  auto edge = torch::zeros({batch.graph.num_edges()}, dbl);
  const auto norm = batch.adj.edge_norm().to(dbl);
  const auto& src = batch.adj.src();
  const auto& dst = batch.adj.dst();
  torch::Tensor p_input;
  for (int64_t l = layers - 1; l >= 0; --l) {
    const auto& a = l == 0 ? x : f[l - 1];                                   // [N, K]
    const auto w_pos = model.layer_weight(l).detach().to(dbl).clamp_min(0);  // [K, H]
    const auto den = detail::propagate(batch, torch::matmul(a, w_pos));      // [N, H]
    const auto u = torch::matmul(safe_ratio(p[l], den), w_pos.t());          // [N, K]
    const auto p_in = a * detail::propagate_transpose(batch, u);
    // The mass that flows along s -> d: Â_{d,s} Σ_k' a[s, k'] u[d, k'].
    edge += norm * (a.index_select(0, src) * u.index_select(0, dst)).sum(1);
    if (l > 0) {
      p[l - 1] += p_in;
    } else {
      p_input = p_in;
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
    : GradientExplainer(target), options_(options) {}

void ExcitationBackprop::check_model(const gnn::GnnModel& model) const {
  const gnn::ModelDescription d = model.describe();
  for (const auto& layer : d.layers) {
    if (!layer.linear_message) {
      throw InputError(name() + " does not apply to " + layer.kind +
                       " layers without linear messages: it needs a gnnx NodeClassifier or "
                       "GraphClassifier of GCN layers, whose messages are propagate(h W) through "
                       "GCN's normalised adjacency (LayerDescription::linear_message)");
    }
  }
  if (d.head_input == gnn::HeadInput::kReadoutOfConcatenatedLayers) {
    throw InputError(name() +
                     ": needs a readout of the last layer alone; the model pools every "
                     "layer's output concatenated (readout_concat)");
  }
  bool linear = d.relu_rules && d.head_layers <= 2;
  if (!linear) {
    throw InputError(name() +
                     ": needs a gnnx NodeClassifier or GraphClassifier, or another model whose "
                     "description offers ReLU layers with linear messages (propagate(h W)) and "
                     "a head of at most two dense layers");
  }
}

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
  std::vector<torch::Tensor> f;
  for (const auto& e : fwd.embeddings) f.push_back(e.to(torch::kDouble));
  Attribution a;
  const Maps pos = excitation_maps(model, batch, f, x, classes, 1.0);
  if (options_.contrastive()) {
    const Maps neg = excitation_maps(model, batch, f, x, classes, -1.0);
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
