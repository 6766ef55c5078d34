#pragma once
// The generator of each synthetic data set, and the one step they all end with. Private to
// gnnx_datasets: callers go through make_synthetic().

#include <gnnx/datasets/synthetic.h>

#include "graph_builders.h"
#include "random.h"

namespace gnnx::datasets::detail {

/// Features every node-classification benchmark of GNNExplainer gets: 10 per node.
constexpr int64_t kNodeFeatures = 10;

Dataset make_ba_shapes(Random& random);     // ba_shapes.cpp
Dataset make_ba_community(Random& random);  // ba_shapes.cpp
Dataset make_tree_cycles(Random& random);   // tree_motifs.cpp
Dataset make_tree_grid(Random& random);     // tree_motifs.cpp
Dataset make_ba_2motifs(Random& random);    // ba_2motifs.cpp

/// Appends the built graph with features x [N, F] and labels y to `dataset`, with its ground
/// truth (GraphBuilder::node_mask / edge_mask).
void add_graph(Dataset& dataset, const GraphBuilder& graph, torch::Tensor x, torch::Tensor y);

/// [values.size()] int64 copy of `values`.
torch::Tensor to_tensor(const std::vector<int64_t>& values);

}  // namespace gnnx::datasets::detail
