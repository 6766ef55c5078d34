#pragma once
// `gnnx evaluate --dataset mutagenicity|benzene|fluoride-carbonyl|alkane-carbonyl`: the molecule
// branch of `gnnx evaluate` (built with RDKit only). evaluate.cpp owns the shared flags
// (--method, --model, --seed, --json, the explainer flags) and calls in here for these names.

#include "cli/global_options.h"
#include "cli/method_flags.h"

#include <cstdint>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace gnnx::tools {

/// The molecule benchmarks with ground-truth explanations, in table order.
const std::vector<std::string>& molecule_benchmark_names();
bool is_molecule_benchmark(const std::string& name);

struct MoleculeEvaluateArgs {
  std::string data_dir;      ///< --data-dir: the shared data folder (default: see the flag)
  int64_t limit = 0;         ///< --limit N: explain only the first N targets (0 = all)
  int64_t train_epochs = 0;  ///< --train-epochs: when training a model (0 = the default)
};

/// Adds --data-dir, --limit and --train-epochs to `evaluate`.
void add_molecule_evaluate_flags(CLI::App& cmd, MoleculeEvaluateArgs& args);

/// What the molecule evaluation needs of `gnnx evaluate`'s own flags.
struct EvaluateRequest {
  std::string dataset, method, model;
  uint64_t seed = 0;
  bool json = false;
  MethodFlags flags;
};

/// Trains (or loads) a model, explains the benchmark's targets with one method or all, and
/// prints the ground-truth AUC table (or JSON). Throws InputError for bad input.
void run_molecule_evaluate(const EvaluateRequest& request, const MoleculeEvaluateArgs& args,
                           const GlobalOptions& globals);

}  // namespace gnnx::tools
