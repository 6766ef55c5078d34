#pragma once
// The flags of `gnnx train`: those that override a benchmark's training settings (each applied
// only when given) and, in RDKit builds, those of molecule training (`--data FILE`).

#include <gnnx/benchmarks/training.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace gnnx::tools {

/// --epochs, --lr, --weight-decay, --arch, --hidden, --layers, --heads, --dropout, --bias-init,
/// --readout,
/// --aggregation, --embedding-norm, --batch-size, --edge-dropout (and --mlp-hidden with the
/// molecule flags).
class SettingFlags {
 public:
  /// Adds the flags to `cmd`; the object must outlive parsing.
  void add_to(CLI::App& cmd);
  /// Adds --mlp-hidden (molecule training).
  CLI::Option* add_mlp_hidden(CLI::App& cmd);
  /// `settings` with the flags that were given.
  benchmarks::TrainSettings over(benchmarks::TrainSettings settings) const;

 private:
  template <class T>
  CLI::Option* bind(CLI::App& cmd, const std::string& name, T benchmarks::TrainSettings::*field,
                    const std::string& help);
  CLI::Option* bind_choice(CLI::App& cmd, const std::string& name, std::string* text,
                           std::function<void(benchmarks::TrainSettings&)> apply,
                           const std::string& help);

  benchmarks::TrainSettings given_;
  std::string arch_, readout_, aggregation_, embedding_norm_;
  std::vector<std::pair<const CLI::Option*, std::function<void(benchmarks::TrainSettings&)>>>
      overrides_;
  std::vector<const CLI::Option*> gcn_only_;  ///< --aggregation, --embedding-norm
};

#ifdef GNNX_WITH_RDKIT
/// `gnnx train --data FILE ...`.
struct MoleculeTrainFlags {
  std::string data;                     ///< --data: CSV/TSV/SDF/.smi file or a TUDataset folder
  std::string smiles_col = "smiles";    ///< --smiles-col
  std::vector<std::string> targets;     ///< --target T[,T2...]
  std::string task = "classification";  ///< --task classification|regression
  std::string featurizer = "standard";  ///< --featurizer standard|mutag|mutagenicity
  /// --split random|stratified (80/10/10); empty = stratified for the MUTAG TUDataset,
  /// random otherwise.
  std::string split;
  int64_t cv_folds = 0;  ///< --cv K: also K-fold cross-validation (0 = none)
  /// --class-names NAME0,NAME1: names of class 0 and class 1 of the binary task(s), kept in the
  /// model file (default: the data's own, for the MUTAG and Mutagenicity TUDatasets).
  std::vector<std::string> class_names;
  /// --split-out FILE: which molecules trained, validated and tested the saved model (CSV).
  std::string split_out;
};

/// Adds --data, --smiles-col, --target, --task, --featurizer, --split, --cv, --class-names,
/// --split-out and --mlp-hidden; all but --data need --data. Returns --data.
CLI::Option* add_molecule_train_flags(CLI::App& cmd, MoleculeTrainFlags& flags,
                                      SettingFlags& settings);
#endif

}  // namespace gnnx::tools
