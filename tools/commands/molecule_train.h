#pragma once
// `gnnx train --data FILE ...`: the molecule branch of `gnnx train` (built with RDKit only).
// train.cpp owns the shared flags (--seed, --out, --epochs, ...) and calls in here when --data
// is given.

#include <functional>
#include <string>

#include "cli/global_options.h"
#include "cli/train_defaults.h"

namespace CLI {
class App;
}

namespace gnnx::tools {

struct MoleculeTrainArgs {
  std::string data;                     ///< --data: CSV/TSV/SDF/.smi file or a TUDataset folder
  std::string smiles_col = "smiles";    ///< --smiles-col
  std::string targets;                  ///< --target T[,T2...]
  std::string task = "classification";  ///< --task classification|regression
  std::string featurizer = "standard";  ///< --featurizer standard|mutag|mutagenicity
  int64_t mlp_hidden = -1;              ///< --mlp-hidden (default: the GCN width)
  std::string split = "random";         ///< --split random|stratified (80/10/10)
  int64_t cv_folds = 0;                 ///< --cv K: also K-fold cross-validation (0 = none)
};

/// Adds --data, --smiles-col, --target, --task, --featurizer, --mlp-hidden, --split and --cv
/// to `train`.
void add_molecule_train_flags(CLI::App& cmd, MoleculeTrainArgs& args);

/// The molecule defaults of the shared settings, before the user's overrides.
TrainDefaults molecule_train_defaults();

/// Reads the data, trains, reports the split's ROC-AUC / RMSE and saves the model to `out`.
/// `settings` are molecule_train_defaults() with the user's overrides applied.
void run_molecule_train(const MoleculeTrainArgs& args, const TrainDefaults& settings, uint64_t seed,
                        const std::string& out, bool json, const GlobalOptions& globals);

}  // namespace gnnx::tools
