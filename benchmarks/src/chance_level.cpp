#include <gnnx/benchmarks/chance_level.h>

#include <ATen/ops/bincount.h>
#include <ATen/ops/cat.h>

#include <cmath>
#include <cstdio>
#include <vector>

namespace gnnx::benchmarks {
namespace {

/// The label of every item the split indexes: node labels (node task) or one label per graph.
torch::Tensor item_labels(const datasets::Dataset& ds) {
  if (ds.task == gnn::Task::kNodeClassification) return ds.graphs.front().y();
  std::vector<torch::Tensor> labels;
  labels.reserve(ds.graphs.size());
  for (const gnn::Graph& g : ds.graphs) labels.push_back(g.y().reshape({-1}));
  return at::cat(labels);
}

}  // namespace

double majority_class_rate(const torch::Tensor& labels) {
  if (labels.numel() == 0) return 0.0;
  const torch::Tensor counts = at::bincount(labels.reshape({-1}).to(torch::kLong));
  return static_cast<double>(counts.max().item<int64_t>()) / static_cast<double>(labels.numel());
}

std::optional<ChanceLevel> classifier_chance(const gnn::TrainResult& result,
                                             const datasets::Dataset& ds) {
  const torch::Tensor& val = result.split.val;
  if (!val.defined() || val.numel() == 0 || ds.graphs.empty()) return std::nullopt;
  ChanceLevel c;
  c.metric = "accuracy";
  c.score = result.val_accuracy;
  c.chance = majority_class_rate(item_labels(ds).index_select(0, val));
  c.at_chance = c.score <= c.chance;
  return c;
}

std::optional<ChanceLevel> property_chance(const gnn::PropertyScores& val, gnn::PropertyKind kind) {
  if (kind != gnn::PropertyKind::kBinary || std::isnan(val.score)) return std::nullopt;
  ChanceLevel c;
  c.metric = "roc_auc";
  c.score = val.score;
  c.chance = kChanceRocAuc;
  c.at_chance = c.score <= c.chance;
  return c;
}

std::string chance_warning(const ChanceLevel& c) {
  const bool accuracy = c.metric == "accuracy";
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "validation %s %.4f is at chance level (<= %.4f, %s): the model has learnt "
                "nothing usable; try more --epochs, another --lr or another --arch",
                accuracy ? "accuracy" : "ROC-AUC", c.score, c.chance,
                accuracy ? "the share of the most common class in the validation part"
                         : "0.5 is a random ranking");
  return buf;
}

}  // namespace gnnx::benchmarks
