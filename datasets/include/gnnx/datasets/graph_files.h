#pragma once
// A node-classification task from the user's own files (`gnnx train --edges E --labels L`):
//
//   edges     source,target[,weight]   one edge per row; node ids 0-based integers; a weight
//                                      (finite number) becomes a one-wide edge feature
//                                      (Graph::edge_attr), which gine and gat read
//   features  f1,f2,...                row i holds node i's features (numbers, finite); no file:
//                                      one constant feature (1) per node
//   labels    node,label[,split]       one row per node; split: train, val or test
//   gt-edges  source,target            optional ground truth: edges in the explanation
//   gt-nodes  node                     optional ground truth: nodes in the explanation
//
// Every file is CSV or TSV (a tab on the first line and no comma: TSV), plain or gzipped, with
// an optional header row (a first row that is not data: see read_node_task). The node count is
// the features file's row count, or the labels file's without one; every node needs a label.
//
// Edges are undirected unless NodeTaskFiles::directed: each edge is stored in both directions,
// as the synthetic sets store theirs (gnn::is_undirected holds), and a file may list an edge
// once or in both directions. Self-loops are refused: every layer adds a node's own term
// itself (GCN's self-loop, GIN's (1 + eps) x, the root weights of GraphConv and SAGE, GAT's
// self-attention), so a self-loop in the file would count it twice, and an explainer would
// score an "edge" that is no message between nodes. A repeated edge is merged, with a warning.

#include <gnnx/datasets/synthetic.h>
#include <gnnx/gnn/training.h>

#include <optional>
#include <string>
#include <vector>

namespace gnnx::datasets {

/// The files of a node task (paths; empty = not given).
struct NodeTaskFiles {
  std::string edges;      ///< required
  std::string features;   ///< optional: one constant feature per node without it
  std::string labels;     ///< required
  std::string gt_edges;   ///< optional ground truth: edges in the explanation
  std::string gt_nodes;   ///< optional ground truth: nodes in the explanation
  bool directed = false;  ///< keep each edge in its given direction only
};

/// A node task, read.
struct NodeTask {
  /// One graph: x [N, F] float, y [N] int64, edge_attr [E, 1] with weights. Sorted by
  /// (source, target). Classes: labels that are all non-negative integers are the class
  /// indices (classes 0..max, named "class0", "class1", ...; an index of 100000 or more is
  /// refused); any other labels are class
  /// names, numbered in sorted (byte) order. With ground truth, gt_edge_mask and gt_node_mask
  /// hold one mask each: given gt-edges mark those edges (both directions when undirected);
  /// gt-nodes alone mark the edges between two of them, as the synthetic sets' motifs do; the
  /// node mask is gt-nodes, or the end points of gt-edges. eval_targets: the ground-truth
  /// nodes; every node without ground truth. motif_id and class_motif are empty.
  Dataset dataset;
  /// The labels file's split column, when it has one.
  std::optional<gnn::Split> split;
  /// Merged duplicate edges, "<file>:<line>: ..." (the first 20, then a count of the rest).
  std::vector<std::string> warnings;
};

/// Reads a node task. A first row is a header when its first field is not an integer (edges,
/// labels, gt files) or when none of its fields is a number (features). Throws InputError
/// naming the file and line for: a missing or empty file, a row with too few or too many
/// fields, a node id that is not an integer or names no node, a label row missing for some
/// node, given twice or empty, a split other than train/val/test (or given on some rows only), a
/// feature that is not a finite number or a row of another width, a self-loop, a weight that
/// is not a finite number, two weights for one edge, a ground-truth edge not in the graph.
///
/// Example:
///   NodeTask t = read_node_task({"edges.csv", "", "labels.csv"});
///   t.dataset.graphs[0].num_nodes()  // the rows of labels.csv
NodeTask read_node_task(const NodeTaskFiles& files);

}  // namespace gnnx::datasets
