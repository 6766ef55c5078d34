#pragma once
// The flags that name a user's own graphs: --edges, --features, --labels, --gt-edges,
// --gt-nodes (a node task from files) and --graph (a TUDataset folder). `gnnx train` reads the
// data from them (and takes --directed); `gnnx explain` and `gnnx evaluate` take the same flags
// to say where a file the model records has moved, or to add ground truth.

#include <gnnx/benchmarks/user_graphs.h>

#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace gnnx::tools {

/// Who reads the flags.
enum class GraphFlagUse {
  kTrain,   ///< the data to train on: --edges needs --labels and the reverse; adds --directed
  kReread,  ///< a trained model's data: each flag replaces the recorded file of its role
};

/// Adds the flags to `cmd`, writing into `source` (which must outlive parsing); --graph
/// excludes the node-task flags, and each of them needs --edges with kTrain. Returns every
/// flag added, for the caller's excludes().
std::vector<CLI::Option*> add_graph_flags(CLI::App& cmd, benchmarks::GraphSource& source,
                                          GraphFlagUse use);

/// Whether any of the flags was given.
bool graph_flags_given(const benchmarks::GraphSource& source);

/// Prints the warnings of reading a user's graphs on stderr ("gnnx: warning: ...").
void print_graph_warnings(const std::vector<std::string>& warnings);

}  // namespace gnnx::tools
