#pragma once
// The model card: what a model file says about how its model was made — the data set and where
// it came from, the task(s), the class names, the featurisation and the training record. The
// architecture is the file's ModelSpec, not part of the card.
//
// A model file stores the card as a typed JSON object. Files written before the card existed
// hold a flat map of strings instead ("dataset", "property.kind", "property.tasks" = "label=1",
// "featurizer.elements", ...): ModelCard::from_metadata() maps those keys into the card, and
// to_metadata() writes the same keys back, so the flat view of an old file is what it held.

#include <gnnx/gnn/property_training.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gnnx::gnn {

/// How the node features were made.
struct Featurisation {
  /// "synthetic" (the generator's own features), "molecule" (molecules::FeaturizerOptions),
  /// "tu-node-labels" (a TUDataset's node labels); empty when not recorded (older files).
  std::string name;
  /// Molecules: molecules::FeaturizerOptions::to_metadata(), keys "featurizer.*".
  std::map<std::string, std::string> options;
};

/// One file a model's data was read from (`gnnx train --edges/--features/--labels/--gt-edges/
/// --gt-nodes/--graph`), with a checksum of its bytes: later commands read the data again from
/// `path` (or from where the user says it moved to) and refuse a file whose checksum differs.
struct DataFile {
  /// What the file is, named as the flag that gave it: "edges", "features", "labels",
  /// "gt-edges", "gt-nodes"; "graph" for each file of a TUDataset folder.
  std::string role;
  std::string path;   ///< absolute, as read when the model was trained
  std::string crc32;  ///< io::file_crc32 of its bytes: 8 lowercase hex digits
};

/// The training run: its settings and its outcome; unset = not recorded. Wall-clock time is
/// left out on purpose: a seeded `gnnx train` writes the same bytes on every run.
struct TrainingRecord {
  std::optional<uint64_t> seed;  ///< weights, split, shuffling and dropout
  std::optional<int64_t> epochs;
  std::optional<double> lr;            ///< Adam
  std::optional<double> weight_decay;  ///< Adam, L2
  std::optional<int64_t> batch_size;   ///< graph tasks: graphs per step
  std::optional<double> edge_dropout;  ///< DropEdge
  std::optional<double> train_fraction;
  std::optional<double> val_fraction;
  std::string split;                  ///< property models: "random" or "stratified"
  std::optional<int64_t> best_epoch;  ///< 1-based epoch whose weights were kept
  std::optional<double> train_accuracy;
  std::optional<double> val_accuracy;
  std::optional<double> test_accuracy;
  std::optional<double> test_score;        ///< property models: mean test ROC-AUC or RMSE
  std::optional<int64_t> cv_folds;         ///< property models: K of a K-fold cross-validation
  std::optional<double> cv_test_accuracy;  ///< its mean test accuracy
};

/// What a model file records about its model. Every field may be empty.
///
/// Example:
///   ModelCard card;
///   card.dataset = "ba-shapes";
///   card.dataset_seed = 0;
///   card.training.epochs = 1000;
///   save_model("m.gnnx", *model, card);
///   load_model("m.gnnx").card.training.epochs  // 1000
struct ModelCard {
  /// User-provided, so that the card is not an aggregate: a braced list of string pairs (the
  /// old metadata form of save_model) then picks the map overload instead of initialising
  /// the card's first strings.
  ModelCard();

  std::string dataset;  ///< the data set or benchmark ("ba-shapes"); empty for a --data file
  std::string source;   ///< where the data came from: the file or folder, or the generator
  std::optional<uint64_t> dataset_seed;  ///< synthetic data sets: the generator's seed
  /// Property models (`gnnx train --data`): what every output is; unset for a classifier.
  std::optional<PropertyKind> property_kind;
  std::vector<std::string> tasks;        ///< property models: one name per output ("label=1")
  std::vector<std::string> class_names;  ///< classifiers: one name per class
  Featurisation featurisation;
  TrainingRecord training;
  std::string created_by;  ///< e.g. "gnnx train"
  /// Models trained on the user's own files: every file read, in reading order; empty for the
  /// built-in data sets and for files written before it existed.
  std::vector<DataFile> data_files;
  std::map<std::string, std::string> extras;  ///< anything else, free-form

  bool is_property_model() const { return property_kind.has_value(); }

  /// The flat string map of the files written before the card: known keys go to their fields
  /// (a value that does not parse stays in `extras` under its key), every other key to `extras`.
  static ModelCard from_metadata(const std::map<std::string, std::string>& metadata);
  /// The card as a flat string map with the keys of from_metadata (lists comma-joined,
  /// numbers with 17 significant digits; data file i as "data_file.<i>.role", ".path" and
  /// ".crc32"); unset fields are left out.
  std::map<std::string, std::string> to_metadata() const;
};

}  // namespace gnnx::gnn
