#pragma once
// Supervised training of gnnx models: Adam, a stratified train/validation/test split, the
// weights of the best validation epoch kept. Seeded and deterministic on CPU.

#include <gnnx/gnn/models.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace gnnx::gnn {

/// Index sets of a split, each [n] int64, sorted.
struct Split {
  torch::Tensor train, val, test;
};

/// Splits items by label so that every class keeps the same proportions in each part: per class
/// (in label order) a seeded Fisher-Yates shuffle, then round(fraction * n) items to train and to
/// validation, the rest to test; a class with any sample keeps at least one in train.
/// Deterministic in `seed` (std::mt19937_64, same on every standard library).
/// labels: [n] integer. train_fraction in (0, 1], val_fraction in [0, 1), their sum <= 1.
/// Throws InputError otherwise.
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
  /// DropEdge (Rong et al., ICLR 2020): in every training step each edge's message is left out
  /// with this probability (an edge weight of 0 or 1 in the model's kMask sense, the same
  /// operation an explainer's mask performs); evaluation passes use every edge. 0 = off. In
  /// [0, 1).
  double edge_dropout = 0.0;
  uint64_t seed = 0;       ///< split, shuffling and dropout
  EpochCallback on_epoch;  ///< optional progress report
  /// A split given by the data (a labels file's split column): used instead of
  /// stratified_split, and then train_fraction and val_fraction are not read. Ids index the
  /// nodes (node task) or the graphs (graph task); the parts must be disjoint and train must
  /// not be empty (InputError otherwise). An item in no part is not used.
  std::optional<Split> split;
};

/// Accuracies are those of the restored best-epoch weights, in eval mode (0 for an empty part).
struct TrainResult {
  double train_accuracy = 0, val_accuracy = 0, test_accuracy = 0;
  double final_loss = 0;   ///< mean training loss of the last epoch
  int64_t best_epoch = 0;  ///< 1-based epoch whose weights were kept
  double seconds = 0;
  Split split;
};

/// Both trainers run on the model's device (model_device: call model->to(device) first); the
/// graph stays on the CPU and is copied over once (node task) or per batch (graph task).

/// Trains a node classifier on `graph` (node labels y), full batch: each epoch one Adam step on
/// the cross-entropy of the train nodes, then an eval pass. The weights of the epoch with the
/// best validation accuracy (ties: lower validation loss; no validation nodes: the train nodes)
/// are restored at the end, and the model is left in eval mode. Seeds torch with options.seed
/// (dropout), so equal seeds and equal initial weights give identical results.
/// Throws InputError when the graph has no node labels, a label is out of range, the options
/// are invalid or the model's task / feature width does not match.
TrainResult train_node_classifier(GnnModel& model, const Graph& graph, const TrainOptions& options);

/// Trains a graph classifier on `graphs` (each with one graph label in y): mini-batches of
/// options.batch_size graphs, reshuffled every epoch from the seed; model selection as above.
/// Throws InputError as train_node_classifier, and for an empty list or a graph without a label.
TrainResult train_graph_classifier(GnnModel& model, const std::vector<Graph>& graphs,
                                   const TrainOptions& options);

/// Fraction of rows whose arg-max logit equals the label; 0 for no rows. logits [N, C],
/// labels [N] integer; throws c10::Error on a shape mismatch.
double accuracy(const torch::Tensor& logits, const torch::Tensor& labels);

}  // namespace gnnx::gnn
