#pragma once
// Explanations as CSV, `gnnx explain --format csv`: one row per (target, edge) for spreadsheets
// and data frames. Header and columns:
//
//   target,edge_id,source,destination,importance,rank,undirected
//
// target: the explained node (node task) or graph (graph task); edge_id, source, destination:
// the edge's original id and end points; importance: its score to the file's precision (empty
// without an edge mask); rank: 1 for the target's most important edge (ties in edge order, as
// top_edges); undirected: true when the row stands for both directions of the edge, which share
// its score (the same rows as the JSON's "edges", explanation_json.h).

#include <gnnx/explainers/explanation.h>
#include <gnnx/gnn/graph.h>

#include <string>
#include <vector>

namespace gnnx::explainers {

/// The CSV text, header row first. graphs: as explanations_to_json's. precision: significant
/// digits of the importances, 1..17. Throws InputError when an explanation's graph is missing.
std::string explanations_to_csv(const std::vector<Explanation>& explanations,
                                const std::vector<gnn::Graph>& graphs, int precision = 6);

}  // namespace gnnx::explainers
