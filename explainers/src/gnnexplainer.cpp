#include <gnnx/explainers/gnnexplainer.h>

#include "edge_mask_step.h"
#include "learned_masks.h"

#include <gnnx/explainers/layer_plan.h>
#include <gnnx/explainers/target_batch.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/threads.h>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/autograd.h>
#include <torch/optim/adam.h>

#include <cmath>
#include <functional>
#include <map>
#include <mutex>
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
  if (o.epochs) out.epochs(*o.epochs);
  if (o.lr) out.lr(*o.lr);
  if (o.edge_size) out.edge_size(*o.edge_size);
  if (o.edge_ent) out.edge_ent(*o.edge_ent);
  if (o.edge_lap) out.edge_lap(*o.edge_lap);
  out.feature_mask(o.feature_mask).symmetric_edges(o.symmetric_edges);
  out.mode(o.mode).explained_class(o.explained_class);
  out.batch_size(o.batch_size).seed(o.seed).progress(o.progress);
  return out;
}

namespace {

TargetOptions target_options_of(const GNNExplainerOptions& o) {
  return TargetOptions()
      .mode(o.mode())
      .explained_class(o.explained_class())
      .batch_size(o.batch_size())
      .progress(o.progress());
}

}  // namespace

GNNExplainer::GNNExplainer(GNNExplainerOptions options)
    : Explainer(target_options_of(options)), options_(std::move(options)) {
  if (options_.epochs() < 1 || !(options_.lr() > 0) || options_.batch_size() < 0) {
    throw InputError("gnnexplainer: epochs must be >= 1, lr > 0 and batch size >= 0");
  }
}

std::vector<Explanation> GNNExplainer::explain_chunk(const ExplainCall& call,
                                                     const std::vector<int64_t>& targets,
                                                     const std::vector<int64_t>& classes,
                                                     const ChunkProgress& progress) const {
  detail::FrozenParameters frozen(*call.model);
  // Every target's mask is independent of the others', so the targets are split into one
  // group per thread, each optimised on its own thread with single-threaded operations: a
  // step is a few dozen small operations, too small to share among threads (two threads per
  // operation were no faster than one), while the groups are as large as the call. Interleaved
  // (target i in group i mod G) so that groups get alike mixes of small and large subgraphs.
  // The masks do not depend on the grouping: each row and edge is computed by the same
  // operations in the same order in any group. (A model on a GPU runs every group's work
  // there: one group.)
  return explain_in_thread_groups(call, targets, classes, progress);
}

std::vector<Explanation> GNNExplainer::explain_batch(const ExplainCall& call,
                                                     const TargetBatch& batch,
                                                     const std::vector<int64_t>& labels,
                                                     const ChunkProgress& progress) const {
  gnn::GnnModel& model = *call.model;
  const int64_t parts = batch.num_parts();
  if (parts == 0) return {};
  const auto& x = batch.graph.x();

  const TargetPrediction prediction = predict_targets(model, batch, labels);
  const torch::Tensor& logits0 = prediction.logits;
  const std::vector<int64_t>& explained = prediction.classes;
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
  if (batch.task == gnn::Task::kNodeClassification && model.describe().layer_graphs) {
    plan.emplace(model, batch);  // same logits, only the rows and edges the target reads
  }
  const int64_t num_edges = batch.graph.num_edges();
  // The Laplacian term's gradient is a constant per edge (the predictions are fixed).
  const torch::Tensor laplacian =
      call.node_predictions.defined()
          ? options_.edge_lap() *
                edge_laplacian_weights(batch, call.node_predictions.index_select(0, batch.node_id))
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
    progress(epoch + 1, options_.epochs());
  }

  torch::NoGradGuard no_grad;
  const auto edge_mask = edge_logits.values().clone();
  const auto node_mask = detail::max_incident_edge_mask(batch.graph, edge_mask);
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
