#pragma once
// The user's own graphs as a benchmark: a node task from files (datasets/graph_files.h) or a
// graph task from a TUDataset folder (datasets/tu_dataset.h, with its optional
// <NAME>_edge_gt.txt), trained into a classifier whose model card records every file read with
// its CRC-32 (gnn::DataFile). `gnnx explain` and `gnnx evaluate` read the data again from the
// recorded paths, or from where the user says a file moved to, and refuse a file whose content
// changed; with ground truth the same scores as on the built-in benchmarks follow (evaluate.h).

#include <gnnx/benchmarks/catalogue.h>
#include <gnnx/benchmarks/training.h>
#include <gnnx/datasets/graph_files.h>
#include <gnnx/gnn/model_card.h>

#include <optional>
#include <string>
#include <vector>

namespace gnnx::benchmarks {

/// Where a user's graphs come from: node-task files, or a TUDataset folder (not both).
struct GraphSource {
  datasets::NodeTaskFiles node;  ///< node task: node.edges and node.labels set
  std::string tu_folder;         ///< graph task: a TUDataset folder (or its prefix)
};

/// A user's graphs, read.
struct UserGraphs {
  /// The data set (name: the edge file's name or the TUDataset's), its ground truth (empty
  /// without one) and evaluation targets: the ground-truth nodes (node task) or the graphs
  /// with a ground-truth edge (graph task), else every node or graph.
  BenchmarkData data;
  std::optional<gnn::Split> split;    ///< node task: the labels file's split column
  std::vector<gnn::DataFile> files;   ///< every file read, absolute, with its CRC-32
  std::vector<std::string> warnings;  ///< duplicate edges merged (datasets::NodeTask)
  std::string source;                 ///< for the model card: "graph files <edges>" or the folder
  bool directed = false;              ///< node task: the edges were read as directed

  bool has_ground_truth() const { return !data.dataset.gt_edge_mask.empty(); }
};

/// Reads the graphs. Throws InputError naming the file and line of what is wrong, or for a
/// source with both or neither of node files and a folder.
UserGraphs read_user_graphs(const GraphSource& source);

/// What `gnnx train` trains on a user's graphs by default. Node task: BA-Shapes' settings (3
/// GCN layers of 20, 1000 epochs, lr 0.01, weight decay 5e-4, biases from 0.1), so that a
/// BA-Shapes exported to files trains into the same model. Graph task: the molecule property
/// models' (molecule_train_settings(): 3 GCN layers of 128, dropout 0.1, mean readout, a head
/// layer as wide, 100 epochs at 0.001), which fit TUDataset molecule sets such as MUTAG.
TrainSettings user_train_settings(gnn::Task task);

/// Trains a classifier on `graphs` (train_on_dataset, with the given split when there is one)
/// and fills its card: source, class names, featurisation ("graph-files" / "tu-node-labels"),
/// the data files, and "graph.directed" in its extras for a directed edge list.
TrainedModel train_on_user_graphs(const UserGraphs& graphs, const TrainSettings& settings,
                                  uint64_t seed, gnn::EpochCallback on_epoch = nullptr,
                                  torch::Device device = torch::Device(torch::kCPU));

/// Whether the card's model was trained on a user's graphs (it records data files).
bool records_user_graphs(const gnn::ModelCard& card);

/// Reads a model's graphs again: the files its card records, each replaced by the file given
/// for its role in `given` (a moved file; for a TUDataset, files are matched by name in the
/// given folder). Every recorded file must have the recorded CRC-32. Ground-truth files the
/// card does not record may be given (they do not change the model). Throws InputError
/// "'<file>' (--labels) differs from the file model '<model_name>' was trained on (CRC-32 ...,
/// the model records ...)", for a missing file (naming the flag that gives its new place), and
/// for a flag that names no file of the model's data.
UserGraphs reread_user_graphs(const gnn::ModelCard& card, const GraphSource& given,
                              const std::string& model_name);

/// A catalogue-style entry for `graphs` (Family::kUser) that evaluate() scores as the
/// synthetic benchmarks: edge AUC, precision@k, fidelity, sparsity (and contrastivity on graph
/// tasks); without ground truth only the scores that need none. Explains the predicted class.
Benchmark user_benchmark(const UserGraphs& graphs);

}  // namespace gnnx::benchmarks
