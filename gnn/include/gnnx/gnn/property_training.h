#pragma once
// Multi-task graph property prediction (MoleculeNet style): one model output per task, binary
// tasks trained with a sigmoid cross-entropy and regression tasks with a squared error, both
// masked so that a missing label (NaN) contributes nothing. Seeded random split, Adam,
// mini-batches, the weights of the best validation epoch kept — as train_graph_classifier.

#include <gnnx/gnn/training.h>

#include <cstdint>
#include <vector>

namespace gnnx::gnn {

enum class PropertyKind {
  kBinary,      ///< outputs are logits; labels 0/1; scored by ROC-AUC
  kRegression,  ///< outputs are values in label units; scored by RMSE
};

std::string to_string(PropertyKind kind);
/// "classification"/"binary" and "regression"; throws InputError otherwise.
PropertyKind parse_property_kind(const std::string& name);

/// Scores of one part of the split, with the best-epoch weights.
struct PropertyScores {
  double score = 0;                 ///< mean over tasks of ROC-AUC (binary) or RMSE
  std::vector<double> task_scores;  ///< per task; NaN where the part has no usable labels
  double accuracy = 0;              ///< binary: fraction of labels matched at p = 0.5
  int64_t num_labels = 0;           ///< labelled (graph, task) pairs in the part
};

struct PropertyResult {
  PropertyScores train, val, test;
  double final_loss = 0;   ///< mean training loss of the last epoch (standardised units)
  int64_t best_epoch = 0;  ///< 1-based
  double seconds = 0;
  Split split;
};

/// Trains a graph model (Task::kGraphClassification, num_classes = T outputs) on `graphs` with
/// labels `targets` [G, T] float64, NaN where missing. The split is `split` when given (e.g.
/// from stratified_split on the labels, or one fold of kfold_splits), else a seeded random
/// split of the graphs (options.train_fraction / val_fraction / seed). Regression targets are
/// standardised per task for training and the scale is folded back into the model's head, so
/// the saved model outputs label units. Model selection: mean validation ROC-AUC (binary) or
/// RMSE (regression), ties broken by the lower validation loss. The model is left in eval mode.
/// Throws InputError for a shape mismatch, a task with no training label, a binary label other
/// than 0/1, invalid options, or a split with an index out of range or no training graph.
PropertyResult train_property_model(GnnModel& model, const std::vector<Graph>& graphs,
                                    const torch::Tensor& targets, PropertyKind kind,
                                    const TrainOptions& options, const Split* split = nullptr);

/// Stratified k-fold cross-validation splits: the items of each class (in label order) are
/// shuffled with `seed` and dealt round-robin into `folds` folds, so every fold keeps the class
/// proportions. Split k tests on fold k; of the other items, a stratified val_fraction (of all
/// items, as stratified_split counts it) validates and the rest trains.
/// labels: [n] integer; 2 <= folds <= n; val_fraction in [0, 1 - 1/folds). Throws InputError
/// otherwise. Deterministic in `seed`.
std::vector<Split> kfold_splits(const torch::Tensor& labels, int64_t folds, double val_fraction,
                                uint64_t seed);

/// The model's outputs for every graph, [G, T], in eval mode without gradients (batched).
torch::Tensor predict_graphs(GnnModel& model, const std::vector<Graph>& graphs);

/// Area under the ROC curve of scores against 0/1 labels (ties count half); NaN when only one
/// class is present. scores and labels [n].
double binary_roc_auc(const std::vector<double>& scores, const std::vector<double>& labels);

/// A copy of a property model that explains task `task` with the explainers' class semantics:
/// binary -> two logits [-z/2, z/2] of the task's logit z (softmax = [1 - sigmoid(z),
/// sigmoid(z)], class 1 = positive, and each class has its own gradient);
/// regression -> one output, the task's value. Throws InputError for a task out of range or a
/// model that is not a GraphClassifier.
std::shared_ptr<GnnModel> single_task_view(const GnnModel& model, int64_t task, PropertyKind kind);

}  // namespace gnnx::gnn
