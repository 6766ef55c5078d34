#pragma once
// A graph and explanations small enough that a test can spell out the files written of them
// (explanation_json_test.cpp, explanation_csv_test.cpp).

#include <gnnx/explainers/explanation.h>
#include <gnnx/gnn/graph.h>

#include <vector>

namespace gnnx::testing {

/// Triangle 0-1-2 with a tail 2-3, both directions of each edge. Edge ids:
/// 0: 0->1, 1: 1->0, 2: 1->2, 3: 2->1, 4: 0->2, 5: 2->0, 6: 2->3, 7: 3->2.
inline gnn::Graph toy_graph() {
  return gnn::Graph(
      /*num_nodes=*/4,
      torch::tensor({{0, 1, 1, 2, 0, 2, 2, 3}, {1, 0, 2, 1, 2, 0, 3, 2}}, torch::kLong),
      torch::ones({4, 1}));
}

/// Node 2's explanation over toy_graph, its mask tied per pair: 0-1 0.123456789, 1-2 0.5,
/// 0-2 0.25, 2-3 0.75 (floats, as the explainers give them).
inline explainers::Explanation toy_explanation() {
  explainers::Explanation e;
  e.method = "saliency";
  e.task = gnn::Task::kNodeClassification;
  e.target = 2;
  e.predicted_class = 1;
  e.explained_class = 1;
  e.probability = 0.987654321;
  e.node_ids = torch::tensor({0, 1, 2, 3}, torch::kLong);
  e.node_mask = torch::tensor({0.5f, 0.25f, 1.0f, 0.0f});
  e.edge_ids = torch::arange(8, torch::kLong);
  e.edge_mask = torch::tensor({0.123456789f, 0.123456789f, 0.5f, 0.5f, 0.25f, 0.25f, 0.75f, 0.75f});
  e.options = {{"epochs", "100"}, {"lr", "0.01"}, {"mode", "model"}, {"feature_mask", "true"}};
  return e;
}

/// toy_explanation with 1->0 scored 0.9 and 0->1 still 0.123456789: a mask that is not symmetric.
inline explainers::Explanation toy_asymmetric_explanation() {
  explainers::Explanation e = toy_explanation();
  e.edge_mask = e.edge_mask.clone();
  e.edge_mask[1] = 0.9f;
  return e;
}

}  // namespace gnnx::testing
