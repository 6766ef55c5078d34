#pragma once
// What user_graphs.cpp and user_graphs_reread.cpp share. Private to gnnx_benchmarks.

#include <gnnx/benchmarks/user_graphs.h>

#include <string>
#include <utility>
#include <vector>

namespace gnnx::benchmarks::detail {

/// The role of every file of a TUDataset folder (gnn::DataFile::role).
constexpr char kGraphRole[] = "graph";
/// The card's extras key saying that a node task's edges were read as directed.
constexpr char kDirectedKey[] = "graph.directed";

/// `path` made absolute and normal ("a/../b.csv" -> "/cwd/b.csv").
std::string absolute_path(const std::string& path);

/// The file's role, absolute path and CRC-32. Throws InputError when it cannot be read.
gnn::DataFile data_file(const std::string& role, const std::string& path);

/// The role of each node-task file ("edges", "features", "labels", "gt-edges", "gt-nodes":
/// the flags that give them, without "--") with its field of NodeTaskFiles, in reading order.
using NodeFileField = std::string datasets::NodeTaskFiles::*;
const std::vector<std::pair<std::string, NodeFileField>>& node_file_roles();

UserGraphs read_node_graphs(const datasets::NodeTaskFiles& files);
UserGraphs read_tu_graphs(const std::string& folder);

}  // namespace gnnx::benchmarks::detail
