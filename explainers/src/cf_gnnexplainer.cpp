#include <gnnx/explainers/cf_gnnexplainer.h>

#include "edge_mask_step.h"

#include <gnnx/explainers/layer_plan.h>
#include <gnnx/explainers/target_batch.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/threads.h>
#include <gnnx/io/tensor_vector.h>

#include <c10/util/StringUtil.h>
#include <torch/autograd.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace gnnx::explainers {
namespace {

constexpr double kClipEps = 1e-6;  // torch's clip_grad_norm_: max_norm / (norm + 1e-6)

TargetOptions target_options_of(const CFGNNExplainerOptions& o) {
  return TargetOptions()
      .mode(o.mode())
      .explained_class(o.explained_class())
      .batch_size(o.batch_size())
      .progress(o.progress());
}

// Node importance: the largest score among the node's incident edges (0 for an isolated node).
torch::Tensor max_incident_edge_score(const gnn::Graph& graph, const torch::Tensor& edge_score) {
  auto out = torch::zeros({graph.num_nodes()});
  const auto ei = graph.edge_index().contiguous();
  const auto score = edge_score.to(torch::kFloat).contiguous();
  const int64_t e = graph.num_edges();
  const int64_t* src = ei.data_ptr<int64_t>();
  const int64_t* dst = src + e;
  const float* s = score.data_ptr<float>();
  float* o = out.data_ptr<float>();
  for (int64_t k = 0; k < e; ++k) {
    o[src[k]] = std::max(o[src[k]], s[k]);
    o[dst[k]] = std::max(o[dst[k]], s[k]);
  }
  return out;
}

// Whether the explained graph(s) are undirected: then both directions of an edge share one
// parameter, as the authors' symmetric P.
bool undirected_call(const ExplainCall& call) {
  if (call.graph) return gnn::is_undirected(*call.graph);
  if (!call.graphs || call.graphs->empty()) return false;
  return std::all_of(call.graphs->begin(), call.graphs->end(),
                     [](const gnn::Graph& g) { return gnn::is_undirected(g); });
}

// The best counterfactual of one target so far.
struct Best {
  int64_t size = std::numeric_limits<int64_t>::max();
  int64_t new_class = -1;
  double new_probability = NAN;
  bool found() const { return new_class >= 0; }
};

}  // namespace

CFGNNExplainerOptions CFGNNExplainerOptions::from(const MethodOptions& o) {
  CFGNNExplainerOptions out;
  if (o.epochs) out.epochs(*o.epochs);
  if (o.lr) out.lr(*o.lr);
  if (o.momentum) out.momentum(*o.momentum);
  out.mode(o.mode).explained_class(o.explained_class);
  out.batch_size(o.batch_size).progress(o.progress);
  return out;
}

CFGNNExplainer::CFGNNExplainer(CFGNNExplainerOptions options)
    : Explainer(target_options_of(options)), options_(std::move(options)) {
  if (options_.epochs() < 1 || !(options_.lr() > 0) || !(options_.momentum() >= 0) ||
      !(options_.momentum() < 1) || !(options_.max_grad_norm() > 0) || options_.batch_size() < 0) {
    throw InputError(
        "cf-gnnexplainer: epochs must be >= 1, lr > 0, momentum in [0, 1), max_grad_norm > 0 "
        "and batch size >= 0 (got epochs " +
        std::to_string(options_.epochs()) + ", lr " + c10::str(options_.lr()) + ", momentum " +
        c10::str(options_.momentum()) + ")");
  }
}

std::vector<Explanation> CFGNNExplainer::explain_chunk(const ExplainCall& call,
                                                       const std::vector<int64_t>& targets,
                                                       const std::vector<int64_t>& classes,
                                                       const ChunkProgress& progress) const {
  // As GNNExplainer: a target's result does not depend on its group.
  return explain_in_thread_groups(call, targets, classes, progress);
}

std::vector<Explanation> CFGNNExplainer::explain_batch(const ExplainCall& call,
                                                       const TargetBatch& batch,
                                                       const std::vector<int64_t>& labels,
                                                       const ChunkProgress& progress) const {
  gnn::GnnModel& model = *call.model;
  const int64_t parts = batch.num_parts();
  if (parts == 0) return {};
  const auto& x = batch.graph.x();
  const int64_t num_edges = batch.graph.num_edges();

  const TargetPrediction prediction = predict_targets(model, batch, labels);
  const std::vector<int64_t>& explained = prediction.classes;
  const auto explained_t = torch::tensor(explained, torch::kLong);

  // Parameters: one per edge, or per undirected edge (unit_of_edge maps each edge to its own).
  auto unit_of_edge = torch::empty({num_edges}, torch::kLong);
  std::vector<int64_t> unit_part_v;
  {
    const auto reverse = undirected_call(call) ? detail::reverse_edges(batch.graph).contiguous()
                                               : torch::arange(num_edges, torch::kLong);
    const auto edge_part = batch.edge_part.contiguous();
    const int64_t* rev = reverse.data_ptr<int64_t>();
    const int64_t* ep = edge_part.data_ptr<int64_t>();
    int64_t* unit = unit_of_edge.data_ptr<int64_t>();
    for (int64_t e = 0; e < num_edges; ++e) {
      if (rev[e] < e) {
        unit[e] = unit[rev[e]];  // the pair's parameter belongs to its first edge
      } else {
        unit[e] = static_cast<int64_t>(unit_part_v.size());
        unit_part_v.push_back(ep[e]);
      }
    }
  }
  const int64_t units = static_cast<int64_t>(unit_part_v.size());
  const auto unit_part = torch::tensor(unit_part_v, torch::kLong);
  auto p = torch::ones({units});  // the authors' initial P_vec
  torch::Tensor momentum_buffer;

  std::optional<LayerPlan> plan;
  if (batch.task == gnn::Task::kNodeClassification && model.describe().layer_graphs) {
    plan.emplace(model, batch);  // same logits, only the rows and edges the targets read
  }
  const auto logits_of = [&](const torch::Tensor& mask) {
    return plan ? plan->target_logits_of_used(x, mask.index_select(0, plan->used_edges()))
                : target_logits(model, batch, x, mask);
  };

  std::vector<Best> best(parts);
  auto best_scores = torch::empty({num_edges});
  std::vector<bool> scored(parts, false);
  auto best_deleted = torch::zeros({num_edges}, torch::kBool);
  torch::Tensor last_hard, hard_pred, hard_probs;
  const auto edge_offset = io::to_vector<int64_t>(batch.edge_offset);
  int64_t done = 0;
  for (int64_t epoch = 0; epoch < options_.epochs(); ++epoch) {
    const auto sig = torch::sigmoid(p);
    const auto soft = sig.index_select(0, unit_of_edge);
    const auto hard_units = sig.ge(0.5);
    // 1. The actual prediction with the thresholded mask; recomputed only when it changed.
    if (!last_hard.defined() || !hard_units.equal(last_hard)) {
      torch::NoGradGuard no_grad;
      const auto hard = hard_units.index_select(0, unit_of_edge).to(torch::kFloat);
      hard_probs = torch::softmax(logits_of(hard).to(torch::kDouble), 1);
      hard_pred = hard_probs.argmax(1);
      last_hard = hard_units;
      const auto deleted_units = hard_units.logical_not();
      const auto sizes =
          io::to_vector<int64_t>(torch::zeros({parts}, torch::kLong)
                                     .index_add_(0, unit_part, deleted_units.to(torch::kLong)));
      const auto predicted = io::to_vector<int64_t>(hard_pred);
      for (int64_t t = 0; t < parts; ++t) {
        if (predicted[t] == explained[t] || sizes[t] >= best[t].size) continue;
        best[t] = {sizes[t], predicted[t], hard_probs[t][predicted[t]].item<double>()};
        const auto e0 = edge_offset[t], e1 = edge_offset[t + 1];
        best_scores.slice(0, e0, e1).copy_(1 - soft.slice(0, e0, e1));
        best_deleted.slice(0, e0, e1).copy_(
            deleted_units.index_select(0, unit_of_edge.slice(0, e0, e1)));
        scored[t] = true;
      }
    }
    const auto same = hard_pred.eq(explained_t);
    // Nothing left to flip and no momentum: every later step is zero, so the state is final.
    if (!same.any().item<bool>() && options_.momentum() == 0) break;
    // 2. One SGD step on L_pred = 1[ŷ = c] log p(c | G ⊙ σ(p)).
    auto read = soft.detach().requires_grad_();
    const auto log_probs =
        torch::log_softmax(logits_of(read), 1).gather(1, explained_t.unsqueeze(1)).squeeze(1);
    const auto loss = (same.to(log_probs.scalar_type()) * log_probs).sum();
    torch::Tensor edge_grad;
    if (loss.requires_grad()) {
      edge_grad = torch::autograd::grad({loss}, {read}, {}, /*retain_graph=*/false,
                                        /*create_graph=*/false, /*allow_unused=*/true)[0];
    }
    if (!edge_grad.defined()) edge_grad = torch::zeros({num_edges});
    auto grad = torch::zeros({units}).index_add_(0, unit_of_edge, edge_grad.to(torch::kFloat)) *
                sig * (1 - sig);
    const auto norm = torch::zeros({parts}).index_add_(0, unit_part, grad * grad).sqrt();
    const auto clip = (options_.max_grad_norm() / (norm + kClipEps)).clamp_max(1.0);
    grad = grad * clip.index_select(0, unit_part);
    if (options_.momentum() > 0) {  // torch::optim::SGD, nesterov, dampening 0
      momentum_buffer =
          momentum_buffer.defined() ? momentum_buffer * options_.momentum() + grad : grad.clone();
      grad = grad + options_.momentum() * momentum_buffer;
    }
    p = p - options_.lr() * grad;
    progress(++done, options_.epochs());
  }
  if (done < options_.epochs()) progress(options_.epochs(), options_.epochs());

  // Parts without a counterfactual are scored from the final state.
  {
    const auto final_scores = 1 - torch::sigmoid(p).index_select(0, unit_of_edge);
    for (int64_t t = 0; t < parts; ++t) {
      if (scored[t]) continue;
      const auto e0 = edge_offset[t], e1 = edge_offset[t + 1];
      best_scores.slice(0, e0, e1).copy_(final_scores.slice(0, e0, e1));
    }
  }
  const auto node_scores = max_incident_edge_score(batch.graph, best_scores);
  auto explanations =
      split_explanations(batch, name(), prediction.logits, explained, best_scores, node_scores);
  for (int64_t t = 0; t < parts; ++t) {
    auto& e = explanations[t];
    Counterfactual cf;
    if (best[t].found()) {
      const auto e0 = edge_offset[t], e1 = edge_offset[t + 1];
      const auto mine = best_deleted.slice(0, e0, e1);
      cf.flipped = true;
      cf.size = best[t].size;
      cf.deleted_edges = std::get<0>(batch.edge_id.slice(0, e0, e1).masked_select(mine).sort());
      cf.new_class = best[t].new_class;
      cf.new_probability = best[t].new_probability;
    } else {
      cf.deleted_edges = torch::empty({0}, torch::kLong);
    }
    e.counterfactual = cf;
    e.options = {{"epochs", std::to_string(options_.epochs())},
                 {"lr", c10::str(options_.lr())},
                 {"momentum", c10::str(options_.momentum())},
                 {"max_grad_norm", c10::str(options_.max_grad_norm())},
                 {"mode", options_.mode() == ExplainMode::kModel ? "model" : "phenomenon"},
                 {"explained_class", std::to_string(options_.explained_class())}};
  }
  return explanations;
}

}  // namespace gnnx::explainers
