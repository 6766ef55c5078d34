#pragma once
// What `gnnx train` prints: one JSON object (--json) or a short summary, for a classifier of a
// synthetic data set and for a molecule property model.

#include "cli/global_options.h"

#include <gnnx/benchmarks/training.h>
#ifdef GNNX_WITH_RDKIT
#include <gnnx/benchmarks/molecule_training.h>
#endif

#include <string>

namespace gnnx::tools {

/// `gnnx train --dataset`: accuracies, the settings, where the model went; a warning on stderr
/// (not with --quiet) and "at_chance" in the JSON when the validation accuracy is at chance
/// (benchmarks/chance_level.h).
void print_training(const benchmarks::TrainedModel& m, const datasets::Dataset& ds, uint64_t seed,
                    const std::string& out, bool json, const GlobalOptions& globals);

#ifdef GNNX_WITH_RDKIT
/// On stderr: how many molecules of a table were read, and the first 20 it skipped and why.
void print_read_summary(const benchmarks::MoleculeData& data);

/// `gnnx train --data`: ROC-AUC / RMSE per split (and per task), cross-validation, the
/// settings; the chance-level warning and "at_chance" as print_training.
void print_molecule_training(const benchmarks::MoleculeModel& m,
                             const benchmarks::MoleculeData& data, const std::string& split,
                             uint64_t seed, const std::string& out, bool json,
                             const GlobalOptions& globals);
#endif

}  // namespace gnnx::tools
