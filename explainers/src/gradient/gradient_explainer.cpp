// The gradient family's base: one pass of a method over a chunk's union of targets, cut into one
// Explanation per target.

#include <gnnx/explainers/gradient_methods.h>
#include <gnnx/explainers/target_batch.h>
#include <gnnx/io/tensor_vector.h>

#include <torch/types.h>

#include <map>
#include <string>
#include <vector>

namespace gnnx::explainers {

GradientExplainer::Attribution GradientExplainer::attribute_with_graph(
    const ExplainCall& call, const TargetBatch& batch, const torch::Tensor& classes,
    const ChunkProgress& progress) const {
  return attribute(*call.model, batch, classes, progress);
}

std::vector<Explanation> GradientExplainer::explain_batch(const ExplainCall& call,
                                                          const TargetBatch& batch,
                                                          const std::vector<int64_t>& labels,
                                                          const ChunkProgress& progress) const {
  gnn::GnnModel& model = *call.model;
  const int64_t parts = batch.num_parts();
  if (parts == 0) return {};
  TargetPrediction prediction;
  Attribution a;
  if (!attribute_predicting(call, batch, labels, progress, prediction, a)) {
    prediction = predict_targets(model, batch, labels);
    a = attribute_with_graph(call, batch, torch::tensor(prediction.classes, torch::kLong),
                             progress);
  }
  const torch::Tensor& logits0 = prediction.logits;
  const std::vector<int64_t>& explained = prediction.classes;
  auto explanations =
      split_explanations(batch, name(), logits0, explained, a.edge_scores, a.node_scores);
  a.options["mode"] = target_options().mode() == ExplainMode::kModel ? "model" : "phenomenon";
  a.options["explained_class"] = std::to_string(target_options().explained_class());
  a.options["batch_size"] = std::to_string(target_options().batch_size());
  // Host copies, one per vector (a no-op where they already are on the host).
  const auto host = [](const torch::Tensor& t) {
    return t.defined() ? t.detach().to(torch::kCPU) : t;
  };
  const auto uncertainty = host(a.node_uncertainty);
  const auto features = host(a.feature_scores);
  std::map<std::string, std::vector<double>> diagnostics;
  for (const auto& [key, values] : a.diagnostics) {
    diagnostics[key] = io::to_vector<double>(values.detach().to(torch::kCPU, torch::kDouble));
  }
  for (int64_t t = 0; t < parts; ++t) {
    auto& e = explanations[t];
    const int64_t n0 = batch.node_offset[t].item<int64_t>();
    const int64_t n1 = batch.node_offset[t + 1].item<int64_t>();
    if (uncertainty.defined()) {
      e.node_uncertainty = uncertainty.slice(0, n0, n1).to(torch::kFloat).clone();
    }
    if (features.defined()) e.feature_mask = features.slice(0, n0, n1).sum(0).to(torch::kFloat);
    e.options = a.options;
    for (const auto& [key, values] : diagnostics) e.diagnostics[key] = values[t];
    if (!a.walks.empty()) {
      // Union positions to the ids Explanation::node_ids uses.
      const auto ids = e.node_ids.accessor<int64_t, 1>();
      e.walks = std::move(a.walks[t]);
      for (auto& walk : e.walks) {
        for (auto& node : walk.nodes) node = ids[node - n0];
      }
    }
  }
  return explanations;
}

}  // namespace gnnx::explainers
