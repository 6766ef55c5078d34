#pragma once
// Synthetic benchmarks with ground-truth explanations, built as in the GNNExplainer paper
// (Ying et al., NeurIPS 2019: BA-Shapes, BA-Community, Tree-Cycles, Tree-Grid) and the
// PGExplainer paper (Luo et al., NeurIPS 2020: BA-2Motifs). Deterministic from a seed.
//
// Every graph is undirected: edge_index holds both directions of each edge, sorted by
// (source, target), with no self-loops and no duplicates. The generators follow the reference
// code (gnn-model-explainer's gengraph.py / synthetic_structsim.py / featgen.py); where they
// differ from it, datasets/src/ba_shapes.cpp, tree_motifs.cpp and ba_2motifs.cpp say how and
// why.

#include <gnnx/gnn/graph.h>
#include <gnnx/gnn/models.h>

#include <cstdint>
#include <string>
#include <vector>

namespace gnnx::datasets {

/// A data set with ground truth. A node-classification set holds one graph; a
/// graph-classification set holds many.
struct Dataset {
  std::string name;
  gnn::Task task = gnn::Task::kNodeClassification;
  std::vector<gnn::Graph> graphs;  ///< node task: exactly one graph (labels per node)
  int64_t num_classes = 0;
  std::vector<std::string> class_names;
  /// Ground truth per graph: [N] bool node mask and [E] bool edge mask of the motifs.
  /// An edge is in the ground truth when both its end points belong to the same motif.
  std::vector<torch::Tensor> gt_node_mask;
  std::vector<torch::Tensor> gt_edge_mask;
  /// Per graph: [N] int64 motif instance of every node (0, 1, ... in order of attachment), -1
  /// for base nodes. gt_edge_mask marks the edges whose end points share an instance.
  std::vector<torch::Tensor> motif_id;
  /// Standard evaluation targets: node ids (node task) or graph ids (graph task), int64.
  torch::Tensor eval_targets;
  /// The motif that defines each class, as a small undirected graph (both directions stored;
  /// 0 nodes for a class without one, e.g. the base): what the motif-recovery metric matches.
  std::vector<gnn::Graph> class_motif;
};

/// One line of the table of synthetic data sets (plain data, for listings such as
/// `gnnx datasets`; gnnx::benchmarks' catalogue adds training settings and evaluation).
struct DatasetInfo {
  std::string name;  ///< what make_synthetic() accepts
  gnn::Task task = gnn::Task::kNodeClassification;
  int64_t num_graphs = 1;    ///< 1 for a node-classification set
  int64_t num_nodes = 0;     ///< nodes per graph
  int64_t num_features = 0;  ///< node feature width
  int64_t num_classes = 0;
  std::vector<std::string> class_names;  ///< one per class (Dataset::class_names)
  std::string description;               ///< base graph and motifs, one phrase
  std::string source;                    ///< the paper that introduced it
};

/// "ba-shapes", "ba-community", "tree-cycles", "tree-grid", "ba-2motifs". Their classes:
///   ba-shapes     0 base, 1 house middle (the two nodes under the roof), 2 house bottom,
///                 3 house top (roof); eval targets 400:700:5 (node 0 of houses 20-79)
///   ba-community  0-3 as ba-shapes for nodes 0-699, 4-7 for nodes 700-1399; eval targets
///                 400:700:5 then 1100:1400:5
///   tree-cycles   0 tree, 1 cycle; tree-grid 0 tree, 1 grid; eval targets: every motif node
///   ba-2motifs    graph label 0 house, 1 five-cycle; eval targets: every graph
std::vector<std::string> synthetic_names();

/// One entry per name of synthetic_names(), in the same order.
std::vector<DatasetInfo> synthetic_catalog();

/// Builds the named data set; the same (name, seed) always gives identical tensors (the
/// generators use their own std::mt19937_64, never torch's global RNG).
/// Throws InputError for an unknown name, listing the known ones.
///
/// Example:
///   Dataset d = make_synthetic("ba-shapes", /*seed=*/0);
///   d.graphs[0].num_nodes()  // 700
Dataset make_synthetic(const std::string& name, uint64_t seed = 0);

}  // namespace gnnx::datasets
