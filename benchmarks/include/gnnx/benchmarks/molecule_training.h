#pragma once
// Molecule property models (`gnnx train --data`; builds with RDKit only): reading molecules
// (MoleculeNet CSVs, SDF, .smi, TUDataset folders) into graphs and label columns, training a
// GCN whose every output is one task (a logit, or a value in label units; missing labels are
// masked out of the loss and the scores), optionally with stratified K-fold cross-validation.

#include <gnnx/benchmarks/training.h>
#include <gnnx/gnn/model_card.h>
#include <gnnx/gnn/property_training.h>
#include <gnnx/molecules/featurize.h>
#include <gnnx/molecules/readers.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace gnnx::benchmarks {

/// How to read molecule training data.
struct MoleculeDataOptions {
  std::string smiles_column = "smiles";    ///< tables: the SMILES column
  std::vector<std::string> label_columns;  ///< tables: the label columns (at least one)
  std::string featurizer = "standard";     ///< tables: standard, mutag or mutagenicity
  /// Tables: bond features with conjugated and in-ring columns besides the bond type
  /// (FeaturizerOptions::bond_details; `gnnx train` sets it for gine and gat).
  bool bond_details = false;
  gnn::PropertyKind kind = gnn::PropertyKind::kBinary;
};

/// Where one trained-on molecule came from.
struct MoleculeOrigin {
  int64_t index = 0;  ///< 0-based: the record's position in the table, or the TUDataset graph
  int64_t line = 0;   ///< the table's 1-based line (SDF: the record's first line); 0 for a folder
  std::string id;     ///< the record's id; a TUDataset graph's 1-based number (its graph_id)
};

/// Graphs and labels to train on, from a table or a TUDataset folder.
struct MoleculeData {
  std::string source;  ///< the file or folder
  std::vector<gnn::Graph> graphs;
  std::vector<MoleculeOrigin> origins;  ///< one per graph, in the same order
  torch::Tensor targets;                ///< [G, T] float64, NaN = missing
  std::vector<std::string> tasks;       ///< T names: label columns, or "label=<v>" for a TUDataset
  /// Binary tasks: the names of class 0 and class 1 (ModelCard::class_names) where the data
  /// tells them (the MUTAG and Mutagenicity TUDatasets, see tu_class_names); empty otherwise.
  std::vector<std::string> class_names;
  /// How the graphs were featurised; options empty when SMILES cannot be featurised alike
  /// (a TUDataset other than MUTAG and Mutagenicity).
  gnn::Featurisation featurisation;
  bool tu_dataset = false;
  /// Tables: records that could not be read or featurised, in file order.
  std::vector<molecules::SkippedRecord> skipped;
};

/// The class names of a TUDataset's binary labels as read_molecule_data numbers them (class 1 =
/// the larger raw label): MUTAG {"nonmutagen", "mutagen"}, Mutagenicity {"mutagen",
/// "nonmutagen"} (its raw label 0 is the mutagen); empty for another name.
std::vector<std::string> tu_class_names(const std::string& tu_name);

/// The named featurisation: standard, mutag or mutagenicity; InputError listing them otherwise.
molecules::FeaturizerOptions featurizer_named(const std::string& name);

/// Reads `path`: a TUDataset folder (binary graph labels only: class 1 = the larger raw label)
/// or a CSV/TSV/SDF/.smi table. Throws InputError for unreadable input, no label column, or a
/// TUDataset that is not a binary classification; a table without one usable molecule gives
/// no graphs (MoleculeData::skipped says why).
MoleculeData read_molecule_data(const std::string& path, const MoleculeDataOptions& options);

struct MeanSd {
  double mean = 0, sd = 0;
};

/// Stratified K-fold cross-validation: fold k's model starts from seed + k, selects its epoch
/// on its own validation part, and is scored on fold k; the folds cover every molecule once.
struct CrossValidation {
  std::vector<double> test_accuracies, test_aucs, val_accuracies;  ///< per fold
  MeanSd test_accuracy, test_auc, val_accuracy;
};

struct MoleculeTrainOptions {
  gnn::PropertyKind kind = gnn::PropertyKind::kBinary;
  bool stratified = false;  ///< stratify the 80/10/10 split by the label (one binary task)
  int64_t cv_folds = 0;     ///< also K-fold cross-validation (one binary task); 0 = none
};

/// A trained property model.
struct MoleculeModel {
  std::shared_ptr<gnn::GnnModel> model;
  gnn::ModelSpec spec;
  gnn::TrainOptions options;  ///< as trained, without the progress callback
  gnn::PropertyResult result;
  CrossValidation cv;   ///< empty without cv_folds
  gnn::ModelCard card;  ///< source, tasks, class names, featurisation, training record
};

/// Trains a graph-level GCN with one output per task on `data`. `on_fold(k, K)` reports
/// cross-validation progress. Throws InputError for data without graphs, when stratification
/// or cross-validation is asked of anything but one binary task, or for more folds than
/// molecules.
MoleculeModel train_molecule_model(const MoleculeData& data, const TrainSettings& settings,
                                   const MoleculeTrainOptions& options, uint64_t seed,
                                   gnn::EpochCallback on_epoch = nullptr,
                                   const std::function<void(int64_t, int64_t)>& on_fold = nullptr);

}  // namespace gnnx::benchmarks
