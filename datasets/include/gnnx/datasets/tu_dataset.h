#pragma once
// The TUDataset text format (Morris et al. 2020, https://chrsmrrs.github.io/datasets/): a folder
// of files named <NAME>_A.txt (one directed edge "u, v" per line, 1-based global node ids),
// <NAME>_graph_indicator.txt (graph id of each node), <NAME>_graph_labels.txt, and optionally
// <NAME>_node_labels.txt, <NAME>_edge_labels.txt and PGExplainer's <NAME>_edge_gt.txt. Any file
// may be gzipped (<file>.txt.gz); it is read with zlib.

#include <gnnx/gnn/graph.h>

#include <cstdint>
#include <string>
#include <vector>

namespace gnnx::datasets {

/// A TUDataset graph-classification set.
struct TuDataset {
  std::string name;  ///< e.g. "MUTAG"
  /// One graph per graph id, in file order: x = one-hot node labels [n, num_node_labels]
  /// (a single constant feature when there are no node labels), y = [1] class index,
  /// edge_attr = one-hot edge labels [e, num_edge_labels] when present. Edges keep file order.
  std::vector<gnn::Graph> graphs;
  std::vector<int64_t> raw_graph_labels;  ///< the label as written (MUTAG: -1/1)
  /// The distinct raw graph labels, ascending: class c of a graph is the position of its raw
  /// label here (MUTAG: {-1, 1} -> classes 0, 1; Mutagenicity: {0 mutagen, 1 nonmutagen}).
  std::vector<int64_t> label_values;
  int64_t num_node_labels = 0;  ///< max node label + 1 (0 when there is no node-label file)
  int64_t num_edge_labels = 0;  ///< max edge label + 1 (0 when there is no edge-label file)
  /// Per graph, [e] bool from <NAME>_edge_gt.txt, aligned with the graph's edges; empty when
  /// the file is absent.
  std::vector<torch::Tensor> edge_gt;
  /// The files read (A, graph_indicator, graph_labels, then those of node_labels, edge_labels
  /// and edge_gt that exist), as paths: what a model trained on the set records.
  std::vector<std::string> files;
  int64_t num_nodes() const;
};

/// Reads a TUDataset from `path`: a folder holding the files of one data set (the name is
/// taken from its *_A.txt[.gz]), or the common prefix itself (".../MUTAG/MUTAG").
/// Throws InputError naming the file and line for a missing file, a malformed line, a node id
/// out of range, or an edge between two graphs.
///
/// Example:
///   TuDataset mutag = read_tu_dataset("../shared/data/MUTAG/tudataset");
///   mutag.graphs.size()  // 188
TuDataset read_tu_dataset(const std::string& path);

/// Whether `path` looks like a TUDataset (a folder with a *_A.txt[.gz] file, or such a prefix).
bool is_tu_dataset(const std::string& path);

}  // namespace gnnx::datasets
