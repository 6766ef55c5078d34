#pragma once
// The defaults of `gnnx train`'s setting flags as its --help shows them: the values each data
// set trains with when a flag is left out (benchmarks::catalogue(), molecule_train_settings()),
// read from the same settings the training uses, so the help cannot drift from them.

#include <gnnx/benchmarks/training.h>

#include <string>
#include <utility>
#include <vector>

namespace gnnx::tools {

/// `settings` as `gnnx train` flags, e.g. {"--epochs", "1000"}, {"--lr", "0.01"}: the flags
/// that apply to `task` and the layer type (--heads for gat, --aggregation and --embedding-norm
/// for gcn, --readout and --batch-size for graph tasks, --mlp-hidden when `with_mlp_hidden`).
std::vector<std::pair<std::string, std::string>> setting_flags(
    const benchmarks::TrainSettings& settings, gnn::Task task, bool with_mlp_hidden = false);

/// The footer of `gnnx train --help`: the flags every data set shares on one line, then one
/// line per data set with the rest (and one for --data / --graph), wrapped at 100 columns.
std::string training_defaults_help();

}  // namespace gnnx::tools
