#include <gnnx/explainers/gnnexplainer.h>

#include "edge_mask_step.h"
#include "thread_groups.h"

#include <gnnx/explainers/layer_plan.h>
#include <gnnx/explainers/target_batch.h>
#include <gnnx/gnn/error.h>

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/autograd.h>
#include <torch/optim/adam.h>

#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gnnx::explainers {
namespace {

constexpr double kEps = 1e-15;  // inside the logs of the entropy term, as the original code

torch::Tensor binary_entropy(const torch::Tensor& p) {
  return -p * torch::log(p + kEps) - (1 - p) * torch::log(1 - p + kEps);
}

// Initial mask logits of one part: N(1, gain_relu · sqrt(2 / (2n))) as the original code, from
// a generator seeded by (seed, target) so a target gets the same start in any batch.
torch::Tensor initial_logits(int64_t num_edges, int64_t num_nodes, uint64_t seed, int64_t target) {
  auto gen = at::detail::createCPUGenerator(seed * 1000003ULL + static_cast<uint64_t>(target));
  const double std = std::sqrt(2.0) * std::sqrt(2.0 / (2.0 * std::max<int64_t>(num_nodes, 1)));
  return at::randn({num_edges}, gen, torch::kFloat) * std + 1.0;
}

// Node importance: the largest mask among the node's incident edges (0 for an isolated node).
torch::Tensor max_incident_edge_mask(const gnn::Graph& graph, const torch::Tensor& edge_mask) {
  auto out = torch::zeros({graph.num_nodes()});
  const auto ei = graph.edge_index().contiguous();
  const auto mask = edge_mask.to(torch::kFloat).contiguous();
  const int64_t e = graph.num_edges();
  const int64_t* src = ei.data_ptr<int64_t>();
  const int64_t* dst = src + e;
  const float* m = mask.data_ptr<float>();
  float* o = out.data_ptr<float>();
  for (int64_t k = 0; k < e; ++k) {
    o[src[k]] = std::max(o[src[k]], m[k]);
    o[dst[k]] = std::max(o[dst[k]], m[k]);
  }
  return out;
}

void require_task(const gnn::GnnModel& model, gnn::Task task, const char* what) {
  if (model.spec().task != task) {
    throw InputError(std::string("gnnexplainer: ") + what + " needs a " + gnn::to_string(task) +
                     "-classification model, got a " + gnn::to_string(model.spec().task) +
                     "-classification model");
  }
}

void check_explained_class(int64_t explained_class, const gnn::GnnModel& model) {
  if (explained_class >= model.spec().num_classes) {
    throw InputError("gnnexplainer: explained class " + std::to_string(explained_class) +
                     " is out of range for a model with " +
                     std::to_string(model.spec().num_classes) + " classes");
  }
}

// Restores the model's train/eval mode on scope exit.
class EvalGuard {
 public:
  explicit EvalGuard(gnn::GnnModel& model) : model_(model), was_training_(model.is_training()) {
    model_.eval();
  }
  ~EvalGuard() { model_.train(was_training_); }

 private:
  gnn::GnnModel& model_;
  bool was_training_;
};

// Turns the model's weight gradients off for the optimisation and back on at scope exit: only
// the masks are learned, and the weight gradients (xᵀg per layer, every step) cost as much as
// the rest of the backward pass.
class FrozenParameters {
 public:
  explicit FrozenParameters(gnn::GnnModel& model) {
    for (auto& p : model.parameters()) {
      if (p.requires_grad()) {
        p.requires_grad_(false);
        frozen_.push_back(p);
      }
    }
  }
  ~FrozenParameters() {
    for (auto& p : frozen_) p.requires_grad_(true);
  }

 private:
  std::vector<torch::Tensor> frozen_;
};

}  // namespace

torch::Tensor edge_entropy_weights(const TargetBatch& batch, EntropyMean mean) {
  const auto& offsets = mean == EntropyMean::kEdges ? batch.edge_offset : batch.node_offset;
  auto counts = (offsets.slice(0, 1) - offsets.slice(0, 0, -1)).clamp_min(1).to(torch::kFloat);
  if (mean == EntropyMean::kNodePairs) counts = counts * counts;
  return counts.reciprocal().index_select(0, batch.edge_part);
}

torch::Tensor edge_laplacian_weights(const TargetBatch& batch, const torch::Tensor& node_class) {
  TORCH_CHECK(node_class.dim() == 1 && node_class.size(0) == batch.graph.num_nodes(),
              "edge_laplacian_weights: node_class must be [", batch.graph.num_nodes(), "]");
  const auto y = node_class.to(torch::kLong);
  const auto differs =
      y.index_select(0, batch.adj.src()).ne(y.index_select(0, batch.adj.dst())).to(torch::kFloat);
  auto counts = (batch.node_offset.slice(0, 1) - batch.node_offset.slice(0, 0, -1))
                    .clamp_min(1)
                    .to(torch::kFloat);
  const auto inv_n2 = (counts * counts).reciprocal().index_select(0, batch.edge_part);
  return (0.5 * differs * inv_n2).contiguous();
}

torch::Tensor edge_mask_regulariser(const torch::Tensor& mask, const torch::Tensor& entropy_weight,
                                    double size, double entropy) {
  return size * mask.sum() + entropy * (binary_entropy(mask) * entropy_weight).sum();
}

GNNExplainerOptions GNNExplainerOptions::from(const MethodOptions& o) {
  GNNExplainerOptions out;
  if (o.epochs > 0) out.epochs(o.epochs);
  if (o.lr > 0) out.lr(o.lr);
  if (o.edge_size >= 0) out.edge_size(o.edge_size);
  if (o.edge_ent >= 0) out.edge_ent(o.edge_ent);
  if (o.edge_lap >= 0) out.edge_lap(o.edge_lap);
  out.feature_mask(o.feature_mask).symmetric_edges(o.symmetric_edges);
  out.mode(o.mode).explained_class(o.explained_class);
  out.batch_size(o.batch_size).seed(o.seed).progress(o.progress);
  return out;
}

GNNExplainer::GNNExplainer(GNNExplainerOptions options) : options_(options) {
  if (options_.epochs() < 1 || !(options_.lr() > 0) || options_.batch_size() < 0) {
    throw InputError("gnnexplainer: epochs must be >= 1, lr > 0 and batch size >= 0");
  }
}

std::vector<Explanation> GNNExplainer::explain_nodes(gnn::GnnModel& model, const gnn::Graph& graph,
                                                     const torch::Tensor& nodes) {
  require_task(model, gnn::Task::kNodeClassification, "explaining nodes");
  const auto targets = checked_ids(nodes, graph.num_nodes(), "gnnexplainer: node");
  check_explained_class(options_.explained_class(), model);
  std::vector<int64_t> labels(targets.size(), options_.explained_class());
  if (options_.explained_class() < 0 && options_.mode() == ExplainMode::kPhenomenon) {
    if (!graph.y().defined() || graph.y().numel() != graph.num_nodes()) {
      throw InputError("gnnexplainer: phenomenon mode needs node labels");
    }
    for (size_t i = 0; i < targets.size(); ++i) labels[i] = graph.y()[targets[i]].item<int64_t>();
  }
  const gnn::GcnAdjacency adj(graph);
  const int64_t hops = model.spec().num_layers;
  if (options_.edge_lap() > 0) {
    EvalGuard eval(model);
    torch::NoGradGuard no_grad;
    node_predictions_ = model.logits(graph.x(), adj).argmax(1).cpu();
  }
  auto explanations = explain_targets(
      model, targets, labels,
      [&](const std::vector<int64_t>& part) { return make_node_batch(graph, adj, part, hops); });
  node_predictions_ = torch::Tensor();
  return explanations;
}

std::vector<Explanation> GNNExplainer::explain_graphs(gnn::GnnModel& model,
                                                      const std::vector<gnn::Graph>& graphs) {
  require_task(model, gnn::Task::kGraphClassification, "explaining graphs");
  check_explained_class(options_.explained_class(), model);
  std::vector<int64_t> labels(graphs.size(), options_.explained_class());
  if (options_.explained_class() < 0 && options_.mode() == ExplainMode::kPhenomenon) {
    for (size_t i = 0; i < graphs.size(); ++i) {
      if (!graphs[i].y().defined() || graphs[i].y().numel() != 1) {
        throw InputError("gnnexplainer: phenomenon mode needs a label on graph " +
                         std::to_string(i));
      }
      labels[i] = graphs[i].y().item<int64_t>();
    }
  }
  std::vector<int64_t> indices(graphs.size());
  for (size_t i = 0; i < graphs.size(); ++i) indices[i] = static_cast<int64_t>(i);
  return explain_targets(model, indices, labels, [&](const std::vector<int64_t>& part) {
    return make_graph_batch(graphs, part);
  });
}

std::vector<Explanation> GNNExplainer::explain_targets(
    gnn::GnnModel& model, const std::vector<int64_t>& targets, const std::vector<int64_t>& labels,
    const std::function<TargetBatch(const std::vector<int64_t>&)>& make_batch) {
  EvalGuard eval(model);
  FrozenParameters frozen(model);
  const size_t chunk = options_.batch_size() > 0 ? options_.batch_size() : targets.size();
  start_progress(targets.size(), chunk);
  std::vector<Explanation> out;
  for (size_t begin = 0; begin < targets.size(); begin += chunk) {
    const int64_t count = static_cast<int64_t>(std::min(targets.size(), begin + chunk) - begin);
    // Every target's mask is independent of the others', so the targets are split into one
    // group per thread, each optimised on its own thread with single-threaded operations: a
    // step is a few dozen small operations, too small to share among threads (two threads per
    // operation were no faster than one), while the groups are as large as the call. Interleaved
    // (target i in group i mod G) so that groups get alike mixes of small and large subgraphs. The
    // masks do not depend on the grouping: each row and edge is computed by the same operations in
    // the same order in any group. (A model on a GPU runs every group's work there: one group.)
    const int64_t threads = gnn::model_device(model).is_cpu() ? at::get_num_threads() : 1;
    const int64_t groups = std::max<int64_t>(1, std::min<int64_t>(threads, count));
    std::vector<std::vector<Explanation>> results(groups);
    detail::run_in_threads(groups, [&](int64_t g) {
      std::vector<int64_t> part, part_labels;
      for (int64_t i = g; i < count; i += groups) {
        part.push_back(targets[begin + i]);
        part_labels.push_back(labels[begin + i]);
      }
      results[g] = explain_batch(model, make_batch(part), part_labels, /*report=*/g == 0);
    });
    for (int64_t i = 0; i < count; ++i) out.push_back(std::move(results[i % groups][i / groups]));
    progress_done_ += options_.epochs();
  }
  return out;
}

void GNNExplainer::start_progress(size_t targets, size_t chunk) {
  const int64_t batches = chunk ? static_cast<int64_t>((targets + chunk - 1) / chunk) : 0;
  progress_done_ = 0;
  progress_total_ = batches * options_.epochs();
}

std::vector<Explanation> GNNExplainer::explain_batch(gnn::GnnModel& model, const TargetBatch& batch,
                                                     const std::vector<int64_t>& labels,
                                                     bool report_progress) {
  const int64_t parts = batch.num_parts();
  if (parts == 0) return {};
  const auto& x = batch.graph.x();

  torch::Tensor logits0;
  {
    torch::NoGradGuard no_grad;
    logits0 = target_logits(model, batch, x);
  }
  std::vector<int64_t> explained(parts);
  for (int64_t t = 0; t < parts; ++t) {
    explained[t] = labels[t] >= 0 ? labels[t] : logits0[t].argmax().item<int64_t>();
  }
  const auto explained_t = torch::tensor(explained, torch::kLong).unsqueeze(1);

  // Parameters: one logit per union edge, optionally one feature-mask row per part. The edge
  // logits' element-wise chain (mask, regularisers, Adam) runs fused outside autograd
  // (edge_mask_step.h); autograd covers the model and the feature mask.
  std::vector<torch::Tensor> inits;
  for (int64_t t = 0; t < parts; ++t) {
    const int64_t e = (batch.edge_offset[t + 1] - batch.edge_offset[t]).item<int64_t>();
    const int64_t n = (batch.node_offset[t + 1] - batch.node_offset[t]).item<int64_t>();
    inits.push_back(initial_logits(e, n, options_.seed(), batch.targets[t]));
  }
  detail::EdgeMask edge_logits(torch::cat(inits), options_.symmetric_edges()
                                                      ? detail::reverse_edges(batch.graph)
                                                      : torch::Tensor());
  const detail::EdgeMaskRegularisers regularisers{
      options_.edge_size(), options_.edge_ent(),
      edge_entropy_weights(batch, options_.entropy_mean()).contiguous()};
  torch::Tensor feat_logits;
  std::optional<torch::optim::Adam> feat_optimizer;
  if (options_.feature_mask()) {
    feat_logits = torch::full({parts, x.size(1)}, 0.1).requires_grad_();
    feat_optimizer.emplace(std::vector<torch::Tensor>{feat_logits},
                           torch::optim::AdamOptions(options_.lr()));
  }

  std::optional<LayerPlan> plan;
  if (batch.task == gnn::Task::kNodeClassification &&
      dynamic_cast<gnn::NodeClassifier*>(&model) != nullptr) {
    plan.emplace(model, batch);  // same logits, only the rows and edges the target reads
  }
  const int64_t num_edges = batch.graph.num_edges();
  // The Laplacian term's gradient is a constant per edge (the predictions are fixed).
  const torch::Tensor laplacian =
      node_predictions_.defined()
          ? options_.edge_lap() *
                edge_laplacian_weights(batch, node_predictions_.index_select(0, batch.node_id))
          : torch::Tensor();
  for (int64_t epoch = 0; epoch < options_.epochs(); ++epoch) {
    const auto& mask = edge_logits.values();
    // The model differentiates with respect to the mask of the edges it reads.
    auto read_mask =
        (plan ? mask.index_select(0, plan->used_edges()) : mask.clone()).requires_grad_();
    torch::Tensor h = x;
    torch::Tensor feat_mask;
    if (feat_logits.defined()) {
      feat_mask = torch::sigmoid(feat_logits);
      h = x * feat_mask.index_select(0, batch.part);
    }
    const auto logits = plan ? plan->target_logits_of_used(h, read_mask)
                             : target_logits(model, batch, h, read_mask);
    auto loss = -torch::log_softmax(logits, 1).gather(1, explained_t).sum();
    if (feat_mask.defined()) {
      loss = loss + options_.feat_size() * feat_mask.mean(1).sum();
      loss = loss + options_.feat_ent() * binary_entropy(feat_mask).mean(1).sum();
    }
    loss.backward();
    torch::Tensor model_grad = read_mask.grad();
    if (!model_grad.defined()) {
      model_grad = torch::zeros({num_edges});
    } else if (plan) {
      model_grad = torch::zeros({num_edges}).index_copy_(0, plan->used_edges(), model_grad);
    }
    if (laplacian.defined()) model_grad = model_grad + laplacian;
    edge_logits.adam_step(model_grad.contiguous(), regularisers, options_.lr());
    if (feat_optimizer) {
      feat_optimizer->step();
      feat_optimizer->zero_grad();
    }
    if (report_progress && options_.progress()) {
      options_.progress()(progress_done_ + epoch + 1, progress_total_);
    }
  }

  torch::NoGradGuard no_grad;
  const auto edge_mask = edge_logits.values().clone();
  const auto node_mask = max_incident_edge_mask(batch.graph, edge_mask);
  auto explanations = split_explanations(batch, name(), logits0, explained, edge_mask, node_mask);
  for (int64_t t = 0; t < parts; ++t) {
    auto& e = explanations[t];
    if (feat_logits.defined()) e.feature_mask = torch::sigmoid(feat_logits[t]).clone();
    e.options = {{"epochs", std::to_string(options_.epochs())},
                 {"lr", c10::str(options_.lr())},
                 {"edge_size", c10::str(options_.edge_size())},
                 {"edge_ent", c10::str(options_.edge_ent())},
                 {"edge_lap", c10::str(laplacian.defined() ? options_.edge_lap() : 0.0)},
                 {"entropy_mean",
                  options_.entropy_mean() == EntropyMean::kNodePairs ? "node-pairs" : "edges"},
                 {"feature_mask", options_.feature_mask() ? "true" : "false"},
                 {"symmetric_edges", options_.symmetric_edges() ? "true" : "false"},
                 {"mode", options_.mode() == ExplainMode::kModel ? "model" : "phenomenon"},
                 {"explained_class", std::to_string(options_.explained_class())},
                 {"seed", std::to_string(options_.seed())}};
  }
  return explanations;
}

}  // namespace gnnx::explainers
