#pragma once
// Explanation files as `gnnx explain --out` writes them: one JSON document, or JSON lines (a
// header line, then one line per explanation). Schema "gnnx.explanation/2", described field by
// field in README.md ("Explanation file format"):
//
//   {"schema": "gnnx.explanation/2", "method", "task", "dataset", "model", "seconds",
//    "precision", "top_k", "options": {...typed: numbers, booleans, strings...},
//    "explanations": [{"target", "predicted_class", "explained_class", "probability",
//      "undirected_edges": true|false,
//      "nodes": {"id": [...], "importance": [...]},
//      "edges": {"id": [...], "source": [...], "target": [...], "importance": [...]},
//      "top_edges": {...the same columns, the top_k rows of "edges", best first...},
//      "feature_mask": [...], "node_uncertainty": [...one per entry of nodes.id...],
//      "diagnostics": {"completeness_gap_nodes": ..., ...the method's own per-target numbers},
//      "walks": {"nodes": [[...node ids, input side first...], ...], "relevance": [...]}}]}
//      (walks: GNN-LRP's most relevant, best first; absent for the other methods)
//
// Columns rather than one object per entry, one entry per undirected edge where the mask ties a
// pair's two directions, the options once and numbers to 6 significant digits make files 6 to 10
// times smaller than schema 1's (BA-Shapes, 60 nodes: GNNExplainer 6.6 -> 0.69 MB, saliency,
// whose masks differ by direction, 5.8 -> 0.93 MB).

#include <gnnx/explainers/explanation.h>
#include <gnnx/gnn/graph.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gnnx::explainers {

/// The value of the files' "schema" field.
inline constexpr char kExplanationSchema[] = "gnnx.explanation/2";

/// What a file says about the run that made its explanations (each field left out when unset).
struct ExplanationRun {
  std::string dataset;            ///< data set name, e.g. "ba-shapes"
  std::string model;              ///< model file the explanations are of
  std::optional<double> seconds;  ///< time the explainer took
};

/// How a file is written.
struct ExplanationFileOptions {
  int64_t top_k = 12;  ///< rows of "edges" repeated in "top_edges" per explanation, best first
  int precision = 6;   ///< significant digits of every real number (options included), 1..17
};

/// The explanations as one JSON document (compact, one line). graphs: the node task's one graph,
/// or the graph task's graphs indexed by target (for edge end points and directions). "options"
/// is a top-level field when every explanation has the same options, else each explanation's.
/// Throws InputError when an explanation's graph is missing; c10::Error for a precision outside
/// 1..17.
std::string explanations_to_json(const std::vector<Explanation>& explanations,
                                 const std::vector<gnn::Graph>& graphs,
                                 const ExplanationRun& run = {},
                                 const ExplanationFileOptions& options = {});

/// The same as JSON lines: first the document's top-level fields without "explanations", then
/// one line per explanation (each the document's entry); every line ends with '\n'.
std::string explanations_to_jsonl(const std::vector<Explanation>& explanations,
                                  const std::vector<gnn::Graph>& graphs,
                                  const ExplanationRun& run = {},
                                  const ExplanationFileOptions& options = {});

}  // namespace gnnx::explainers
