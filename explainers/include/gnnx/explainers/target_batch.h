#pragma once
// TargetBatch: many explanation targets as one disjoint union, so that one forward/backward pass
// (or one mask optimisation) serves them all while each keeps its own independent part.
// Node targets: the union of their k-hop computation subgraphs, each keeping the parent graph's
// GCN normalisation (so each target's logits equal those on the full graph). Graph targets: the
// union of the graphs.

#include <gnnx/explainers/explanation.h>
#include <gnnx/gnn/gcn_adjacency.h>
#include <gnnx/gnn/graph.h>
#include <gnnx/gnn/models.h>

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

/// The model on the union `batch` with node features x [N, F] and edge mask w [E] (undefined =
/// none), changed as `hooks` say: logits [T, C] of each part's target (target nodes, or pooled
/// per graph) and the layers' embeddings over the union. A model on another device (a GPU)
/// computes there; the copies are differentiable and the logits come back to x's device.
gnn::ModelOutput forward_targets(gnn::GnnModel& model, const TargetBatch& batch,
                                 const torch::Tensor& x, const torch::Tensor& edge_weight = {},
                                 const gnn::ForwardHooks& hooks = {});

/// Just the logits [T, C] of forward_targets.
torch::Tensor target_logits(gnn::GnnModel& model, const TargetBatch& batch, const torch::Tensor& x,
                            const torch::Tensor& edge_weight = {});

/// The targets' logits [T, C] on `batch` (no autograd) and the class each part is explained
/// for: labels[t] where >= 0, else the model's prediction (the first of tied maxima).
struct TargetPrediction {
  torch::Tensor logits;
  std::vector<int64_t> classes;
};
TargetPrediction predict_targets(gnn::GnnModel& model, const TargetBatch& batch,
                                 const std::vector<int64_t>& labels);
/// predict_targets' class rule on logits [T, C] already computed: labels[t] where >= 0, else
/// the arg-max (the first of tied maxima).
std::vector<int64_t> explained_classes(const torch::Tensor& logits,
                                       const std::vector<int64_t>& labels);

/// Cuts per-union-edge / per-union-node scores (either may be undefined) into one Explanation
/// per part, with ids mapped back; `logits` [T, C] give predicted class and probability.
std::vector<Explanation> split_explanations(const TargetBatch& batch, const std::string& method,
                                            const torch::Tensor& logits,
                                            const std::vector<int64_t>& explained_class,
                                            const torch::Tensor& edge_scores,
                                            const torch::Tensor& node_scores);

}  // namespace gnnx::explainers
