#pragma once
// Explanations as JSON, the format `gnnx explain --out` writes:
// { "method", "task", <header fields>, "explanations": [ { "target", "predicted_class",
//   "explained_class", "probability", "nodes": [{"id", "importance"}], "edges": [{"id", "source",
//   "target", "importance"}], "top_edges": [...the top_k edges, best first...],
//   "feature_mask": [...], "node_uncertainty": [...one per entry of "nodes"...],
//   "options": {...} } ] }  (feature_mask and node_uncertainty only where the method gives them)

#include <gnnx/explainers/explanation.h>
#include <gnnx/gnn/graph.h>

#include <map>
#include <string>
#include <vector>

namespace gnnx::explainers {

/// graphs: the node task's one graph, or the graph task's graphs indexed by target (for edge
/// end points). header: extra top-level string fields (dataset, model, ...).
std::string explanations_to_json(const std::vector<Explanation>& explanations,
                                 const std::vector<gnn::Graph>& graphs, int64_t top_k,
                                 const std::map<std::string, std::string>& header = {});

}  // namespace gnnx::explainers
