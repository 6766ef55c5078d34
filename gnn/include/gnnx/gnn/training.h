#pragma once
// Supervised training of gnnx models: Adam, a stratified train/validation/test split, the
// weights of the best validation epoch kept. Seeded and deterministic on CPU.

#include <gnnx/gnn/models.h>

#include <cstdint>
#include <functional>
#include <vector>

namespace gnnx::gnn {

/// Index sets of a split, each [n] int64, sorted.
struct Split {
  torch::Tensor train, val, test;
};

/// Splits items by label so that every class keeps the same proportions in each part.
/// Deterministic in `seed`. Fractions must be positive and sum to at most 1 (the test part
/// gets the rest). Throws InputError otherwise.
Split stratified_split(const torch::Tensor& labels, double train_fraction, double val_fraction,
                       uint64_t seed);

/// Called once per epoch: epoch (1-based), epoch count, training loss, validation accuracy.
using EpochCallback = std::function<void(int64_t, int64_t, double, double)>;

struct TrainOptions {
  int64_t epochs = 1000;
  double lr = 0.001;
  double weight_decay = 0.0;
  double train_fraction = 0.8;
  double val_fraction = 0.1;
  int64_t batch_size = 64;  ///< graphs per step (graph task)
  uint64_t seed = 0;        ///< split, shuffling and dropout
  EpochCallback on_epoch;   ///< optional progress report
};

struct TrainResult {
  double train_accuracy = 0, val_accuracy = 0, test_accuracy = 0;
  double final_loss = 0;
  int64_t best_epoch = 0;
  double seconds = 0;
  Split split;
};

/// Trains a node classifier on `graph` (node labels y). Throws InputError when the graph has no
/// node labels or the model's task/shape does not match.
TrainResult train_node_classifier(GnnModel& model, const Graph& graph,
                                  const TrainOptions& options);

/// Trains a graph classifier on `graphs` (each with one graph label in y).
TrainResult train_graph_classifier(GnnModel& model, const std::vector<Graph>& graphs,
                                   const TrainOptions& options);

/// Fraction of rows whose arg-max logit equals the label.
double accuracy(const torch::Tensor& logits, const torch::Tensor& labels);

}  // namespace gnnx::gnn
