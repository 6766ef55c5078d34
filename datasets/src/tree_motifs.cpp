// Tree-Cycles and Tree-Grid (GNNExplainer, Ying et al., NeurIPS 2019), built as
// gnn-model-explainer's gengraph.gen_syn4 / gen_syn5 and synthetic_structsim.build_graph build
// them: a balanced binary tree of height 8 (nodes 0-510, label 0) and motifs appended after it
// (label 1), motif k hanging off tree node k * floor(511 / count) by one edge from its node 0.
//
// Tree-Cycles: 60 six-node cycles (nodes 511-870, spacing 8). build_graph joins each cycle to
// the tree a second time with probability 1/2: cycle node a to tree node anchor + b, a and b
// uniform in {1, 2, 3}. Then gengraph.perturb adds floor(1% of the edges) random edges.
// Tree-Grid: 80 3x3 grids (nodes 511-1230, spacing 6; a grid's node 0 is a corner), then
// floor(10% of the edges) random edges (gen_syn5 perturbs with 0.1, where the other data sets
// use 0.01).
// Features: 10 ones per node. Eval targets: every motif node.
//
// Departure from the reference: random edges are redrawn when they would join two nodes of one
// motif, so every motif keeps its exact shape and the ground truth is its edges.

#include <c10/util/Exception.h>

#include <algorithm>
#include <string>

#include "generators.h"

namespace gnnx::datasets::detail {
namespace {

constexpr int64_t kTreeBranching = 2;
constexpr int64_t kTreeHeight = 8;

enum class SecondLink { kNone, kRandom };

Dataset make_tree_dataset(Random& random, const Motif& motif, int64_t count, SecondLink second_link,
                          double perturb_ratio) {
  GraphBuilder graph;
  const NodeRange tree = add_balanced_tree(graph, kTreeBranching, kTreeHeight);
  for (int64_t anchor : spaced_anchors(tree, count)) {
    const NodeRange nodes = attach_motif(graph, motif, anchor, /*motif_node=*/0);
    if (second_link == SecondLink::kRandom && random.uniform() > 0.5) {
      const int64_t a = random.uniform_int(1, 4);
      const int64_t b = random.uniform_int(1, 4);
      TORCH_INTERNAL_ASSERT(anchor + b < tree.last);
      graph.add_edge(nodes.first + a, anchor + b);
    }
  }
  const NodeRange all{0, graph.num_nodes()};
  add_random_edges(graph, random, perturbation_count(graph.num_edges(), perturb_ratio), all, all);

  Dataset dataset;
  dataset.num_classes = 2;
  std::vector<int64_t> labels(graph.num_nodes(), 1);
  std::fill(labels.begin(), labels.begin() + tree.size(), 0);
  add_graph(dataset, graph, torch::ones({graph.num_nodes(), kNodeFeatures}), to_tensor(labels));
  dataset.eval_targets = torch::arange(tree.last, graph.num_nodes(), torch::kLong);
  return dataset;
}

}  // namespace

Dataset make_tree_cycles(Random& random) {
  return make_tree_dataset(random, cycle_motif(6), /*count=*/60, SecondLink::kRandom,
                           /*perturb_ratio=*/0.01);
}

Dataset make_tree_grid(Random& random) {
  return make_tree_dataset(random, grid_motif(3), /*count=*/80, SecondLink::kNone,
                           /*perturb_ratio=*/0.1);
}

}  // namespace gnnx::datasets::detail
