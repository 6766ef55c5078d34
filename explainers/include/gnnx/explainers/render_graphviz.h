#pragma once
// Draws an explanation on its graph with Graphviz: the target's computation subgraph, each
// undirected edge shaded and thickened by its importance (the larger of its two directions),
// nodes filled by their importance, the target node outlined in red, a colour bar that reads
// the edge shades, and optionally the ground truth outlined in blue. The DOT text is written
// with Boost.Graph's write_graphviz; images are laid out by Graphviz's `neato` (Debian package
// graphviz) with spline edges routed around the nodes, so that no edge seems to pass through a
// node it does not touch (tests/explainers/render_graphviz_test.cpp checks the geometry).

#include <gnnx/explainers/explanation.h>
#include <gnnx/gnn/graph.h>

#include <string>

namespace gnnx::explainers {

/// Ground truth to outline in a drawing: a data set's masks over the explanation's graph.
struct DrawingTruth {
  torch::Tensor node_mask;  ///< [N] bool over the graph's nodes, or undefined: none outlined
  torch::Tensor edge_mask;  ///< [E] bool over the graph's edges, or undefined: none outlined
};

struct GraphvizOptions {
  std::string layout = "neato";  ///< Graphviz layout program (neato, dot, sfdp, ...)
  bool node_labels = true;       ///< print node ids
  /// Draw at most this many undirected edges, the most important first (0 = all). A BA-Shapes
  /// node's 3-hop subgraph has ~800 edges: a readable picture shows the explanation, and
  /// neato needs ~50 s to lay out the whole subgraph.
  int64_t max_edges = 60;
  /// Outlined in blue (dashed node outlines, edges cased in blue) and keyed in the legend;
  /// up to max_edges ground-truth edges beyond the max_edges most important are drawn too, so
  /// that a missed motif still shows. Masks of the wrong size throw c10::Error.
  DrawingTruth truth;
};

/// DOT text of the drawing.
std::string explanation_to_dot(const Explanation& explanation, const gnn::Graph& graph,
                               const GraphvizOptions& options = {});

/// Throws InputError unless `path` ends in .dot, .svg, .png or .pdf and could be written
/// (io::check_writable_path): for a command to refuse before any work or output.
void check_render_path(const std::string& path);

/// Writes the drawing to `path`, format by extension: .dot (DOT text), .svg, .png or .pdf
/// (Graphviz). Atomic: a failed render leaves no file. Throws InputError for an unknown
/// extension and Error when Graphviz is missing or fails.
void render_explanation(const Explanation& explanation, const gnn::Graph& graph,
                        const std::string& path, const GraphvizOptions& options = {});

}  // namespace gnnx::explainers
