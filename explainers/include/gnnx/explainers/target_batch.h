#pragma once
// TargetBatch: many explanation targets as one disjoint union, so that one forward/backward pass
// (or one mask optimisation) serves them all while each keeps its own independent part.
// Node targets: the union of their k-hop computation subgraphs, each keeping the parent graph's
// GCN normalisation (so each target's logits equal those on the full graph). Graph targets: the
// union of the graphs.

#include <gnnx/explainers/explanation.h>
#include <gnnx/gnn/gcn_adjacency.h>
#include <gnnx/gnn/graph.h>

#include <vector>

namespace gnnx::explainers {

struct TargetBatch {
  gnn::Task task = gnn::Task::kNodeClassification;
  gnn::Graph graph;              ///< the disjoint union
  gnn::GcnAdjacency adj;         ///< its message-passing structure
  std::vector<int64_t> targets;  ///< node ids or graph indices, in request order
  torch::Tensor part;            ///< [N] int64: which target each union node belongs to
  torch::Tensor edge_part;       ///< [E] int64: which target each union edge belongs to
  torch::Tensor node_offset;     ///< [T+1] first union node of each part
  torch::Tensor edge_offset;     ///< [T+1] first union edge of each part
  torch::Tensor target_pos;      ///< node task: [T] union position of each target node
  torch::Tensor node_id;         ///< [N] original node id (node task) or id within its graph
  torch::Tensor edge_id;         ///< [E] original edge id (node task) or id within its graph
  int64_t num_parts() const { return static_cast<int64_t>(targets.size()); }
};

/// Node targets (ids into `graph`) with computation subgraphs of `num_hops` hops.
/// Throws InputError for an id out of range.
TargetBatch make_node_batch(const gnn::Graph& graph, const gnn::GcnAdjacency& adj,
                            const std::vector<int64_t>& targets, int64_t num_hops);

/// Graph targets: graphs[i] for each i in `indices`.
TargetBatch make_graph_batch(const std::vector<gnn::Graph>& graphs,
                             const std::vector<int64_t>& indices);

/// Logits of the model for each part's target: [T, C] (target nodes, or pooled per graph).
torch::Tensor target_logits(gnn::GnnModel& model, const TargetBatch& batch, const torch::Tensor& x,
                            const torch::Tensor& edge_weight = {});

/// Cuts per-union-edge / per-union-node scores (either may be undefined) into one Explanation
/// per part, with ids mapped back; `logits` [T, C] give predicted class and probability.
std::vector<Explanation> split_explanations(const TargetBatch& batch, const std::string& method,
                                            const torch::Tensor& logits,
                                            const std::vector<int64_t>& explained_class,
                                            const torch::Tensor& edge_scores,
                                            const torch::Tensor& node_scores);

/// Converts a list of node ids (any integer tensor) to a vector; throws InputError for ids
/// outside [0, limit).
std::vector<int64_t> checked_ids(const torch::Tensor& ids, int64_t limit, const char* what);

}  // namespace gnnx::explainers
