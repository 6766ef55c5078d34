#include "cli/graph_flags.h"

#include <CLI/CLI.hpp>

#include <cstdio>

namespace gnnx::tools {

std::vector<CLI::Option*> add_graph_flags(CLI::App& cmd, benchmarks::GraphSource& source,
                                          GraphFlagUse use) {
  const bool train = use == GraphFlagUse::kTrain;
  // On explain and evaluate every flag says where a recorded file now is.
  const std::string moved = train ? "" : " (where the model's file moved to)";
  datasets::NodeTaskFiles& f = source.node;
  CLI::Option* edges = cmd.add_option(
      "--edges", f.edges,
      "Node task: edge list, CSV/TSV source,target[,weight], 0-based node ids" + moved);
  CLI::Option* labels =
      cmd.add_option("--labels", f.labels, "Node task: labels, CSV node,label[,split]" + moved);
  std::vector<CLI::Option*> node = {
      edges, labels,
      cmd.add_option("--features", f.features,
                     "Node task: node features, CSV, row i = node i (default: one constant "
                     "feature)" +
                         moved),
      cmd.add_option("--gt-edges", f.gt_edges,
                     "Node task: ground-truth edges (in the explanation), CSV source,target"),
      cmd.add_option("--gt-nodes", f.gt_nodes,
                     "Node task: ground-truth nodes (in the explanation), one id per row")};
  if (train) {
    node.push_back(cmd.add_flag("--directed", f.directed,
                                "Node task: keep each edge in its direction (default: "
                                "undirected, both directions stored)"));
    edges->needs(labels);
    labels->needs(edges);
    for (size_t k = 2; k < node.size(); ++k) node[k]->needs(edges);
  }
  CLI::Option* graph = cmd.add_option(
      "--graph", source.tu_folder,
      "Graph task: a TUDataset folder (<NAME>_A.txt, ...; optional <NAME>_edge_gt.txt)" + moved);
  for (CLI::Option* opt : node) graph->excludes(opt);
  node.push_back(graph);
  return node;
}

bool graph_flags_given(const benchmarks::GraphSource& source) {
  const datasets::NodeTaskFiles& f = source.node;
  return !(f.edges.empty() && f.labels.empty() && f.features.empty() && f.gt_edges.empty() &&
           f.gt_nodes.empty() && source.tu_folder.empty());
}

void print_graph_warnings(const std::vector<std::string>& warnings) {
  for (const std::string& w : warnings) std::fprintf(stderr, "gnnx: warning: %s\n", w.c_str());
}

}  // namespace gnnx::tools
