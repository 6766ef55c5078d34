#pragma once
// Explanation: what every explainer returns, for one target (a node, or a whole graph).
// Importances are given over the target's computation subgraph and named by the ORIGINAL
// graph's node and edge ids, so metrics, renderers and writers need nothing else.

#include <gnnx/gnn/models.h>

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gnnx::explainers {

/// One walk through the message-passing layers and its relevance (GNN-LRP, Schnake et al.
/// 2021): nodes[0] is where the relevance entered the network's input, nodes[l + 1] the node
/// whose layer-l output it passed through; consecutive equal ids are a node's own term (a
/// self-step, not an edge).
struct Walk {
  std::vector<int64_t> nodes;  ///< original node ids, input first
  double relevance = 0;        ///< signed, in logit units
};

/// A counterfactual: edges whose deletion changes the model's prediction (CF-GNNExplainer,
/// Lucic et al. 2022). Deleting an edge sets its mask to 0 (EdgeWeightMode::kMask).
struct Counterfactual {
  /// Whether the deletions change the prediction away from Explanation::explained_class.
  /// false: none was found; the other fields are then empty / -1 / NaN.
  bool flipped = false;
  /// Edges deleted, an undirected edge (both directions) counted once.
  int64_t size = 0;
  torch::Tensor deleted_edges;   ///< [k] int64 original edge ids (both directions), ascending
  int64_t new_class = -1;        ///< the model's class with those edges deleted
  double new_probability = NAN;  ///< its probability
};

/// The connected subgraph a subgraph-search method chose (SubgraphX, Yuan et al. 2021).
struct ChosenSubgraph {
  torch::Tensor nodes;   ///< [k] int64 original node ids, ascending
  double shapley = NAN;  ///< its Shapley value (Monte Carlo estimate), in probability units
  int64_t explored = 0;  ///< distinct subgraphs the search scored
  /// Masked copies of the target the model evaluated: each distinct coalition once, however
  /// often the Shapley samples drew it (2 × samples × explored were drawn).
  int64_t evaluated = 0;
};

struct Explanation {
  std::string method;  ///< registry name, e.g. "gnnexplainer"
  gnn::Task task = gnn::Task::kNodeClassification;
  int64_t target = -1;           ///< node id (node task) or graph index (graph task)
  int64_t predicted_class = -1;  ///< arg-max of the model's logits for the target
  int64_t explained_class = -1;  ///< class whose evidence the masks show
  double probability = 0;        ///< model probability of explained_class
  /// [C] float64: the model's logits for the target, from the forward pass predicted_class and
  /// probability come from (what a caller that also wants the prediction reads instead of a
  /// pass of its own); undefined where a method sets none.
  torch::Tensor logits;
  torch::Tensor node_ids;          ///< [n] int64 original node ids (computation subgraph)
  torch::Tensor node_mask;         ///< [n] float importances, or undefined
  torch::Tensor edge_ids;          ///< [m] int64 original edge ids (computation subgraph)
  torch::Tensor edge_mask;         ///< [m] float importances, or undefined
  torch::Tensor feature_mask;      ///< [F] float importances, or undefined
  torch::Tensor node_uncertainty;  ///< [n] float per-node uncertainty (BayesGrad: std over
                                   ///< dropout samples), or undefined
  std::map<std::string, std::string> options;  ///< the method's hyperparameters as used
  /// Numbers a method reports about how well it did on this target (integrated gradients:
  /// "completeness_gap_nodes" and "completeness_gap_edges"); empty for most methods.
  std::map<std::string, double> diagnostics;
  /// The most relevant walks, by |relevance|, most relevant first (GNN-LRP); empty for the
  /// other methods.
  std::vector<Walk> walks;
  /// The smallest counterfactual found (CF-GNNExplainer); unset for the other methods.
  std::optional<Counterfactual> counterfactual;
  /// The chosen subgraph (SubgraphX); unset for the other methods.
  std::optional<ChosenSubgraph> subgraph;

  /// Edge importances scattered into a [num_edges] vector (0 outside the subgraph).
  torch::Tensor dense_edge_mask(int64_t num_edges) const;
  /// Node importances scattered into a [num_nodes] vector (0 outside the subgraph).
  torch::Tensor dense_node_mask(int64_t num_nodes) const;
};

}  // namespace gnnx::explainers
