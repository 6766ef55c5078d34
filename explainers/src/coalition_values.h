#pragma once
// SubgraphX's reward: the Shapley value of a subgraph, estimated by Monte Carlo sampling of
// coalitions within its L-hop neighbourhood (Yuan et al. 2021, Sec. 3.3; DIG's mc_l_shapley in
// dig/xgraph/method/shapley.py), and the model's value of many node masks of one target in one
// batched forward pass.
//
// The players are the subgraph (one player) and every other node of its local region, the
// subgraph plus `hops` hops. A sample is DIG's: a uniform random order of the players, the
// other players before the subgraph forming S; its marginal contribution is
// v(S ∪ subgraph) − v(S), where nodes outside the region stay present and the region's nodes
// outside the coalition are removed. The estimate is the mean over the samples. (Drawing the
// subgraph's position uniformly and then a uniform subset of that size is the same
// distribution, and is what sample_l_shapley_masks does.)

#include <gnnx/explainers/method_options.h>
#include <gnnx/explainers/target_batch.h>
#include <gnnx/gnn/models.h>

#include <torch/types.h>

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace gnnx::explainers::detail {

/// Sorted adjacency lists of part `part` of `batch` (local ids), self-loops dropped, each
/// directed edge also listed backwards (DIG's to_networkx(to_undirected=True)).
std::vector<std::vector<int64_t>> part_neighbours(const TargetBatch& batch, int64_t part);

/// The coalition and every node within `hops` hops of it, ascending.
std::vector<int64_t> local_region(const std::vector<std::vector<int64_t>>& neighbours,
                                  const std::vector<int64_t>& coalition, int64_t hops);

/// The masks of `samples` Monte Carlo samples: exclude [samples, n] (S present) and include
/// (S ∪ coalition present), float 0/1; nodes outside the local region are 1 in both.
struct ShapleyMasks {
  torch::Tensor exclude;
  torch::Tensor include;
};
ShapleyMasks sample_l_shapley_masks(const std::vector<std::vector<int64_t>>& neighbours,
                                    const std::vector<int64_t>& coalition, int64_t hops,
                                    int64_t samples, std::mt19937_64& rng);

/// The model's probability of one class for one target (a part of a TargetBatch) with node
/// masks applied, many masks per forward pass: the part is copied once per mask into one
/// disjoint union (the last few sizes kept, for reuse), keeping the part's own normalisation (for
/// node targets, the full graph's).
class CoalitionScorer {
 public:
  /// `max_union_nodes` caps the nodes of one pass (more masks take several passes).
  CoalitionScorer(gnn::GnnModel& model, const TargetBatch& batch, int64_t part,
                  int64_t explained_class, SubgraphBuilding building,
                  int64_t max_union_nodes = int64_t{1} << 19);

  int64_t num_nodes() const { return num_nodes_; }

  /// masks [R, n] float 0/1 → [R] double: p(class | the part with the masks' nodes only).
  /// Zero filling multiplies the features by the mask; split masks every message whose source
  /// or destination is masked out. A mask this scorer has already evaluated is not evaluated
  /// again: its value is remembered (see kMaxRemembered).
  torch::Tensor values(const torch::Tensor& masks);

  /// Rows asked for and rows the model evaluated, over this scorer's life.
  int64_t rows_requested() const { return rows_requested_; }
  int64_t rows_evaluated() const { return rows_evaluated_; }

 private:
  const TargetBatch& copies(int64_t count);
  torch::Tensor evaluate(const torch::Tensor& masks);

  gnn::GnnModel& model_;
  gnn::Task task_;
  int64_t explained_class_;
  SubgraphBuilding building_;
  int64_t max_union_nodes_;
  int64_t max_copies_;
  int64_t num_nodes_;
  int64_t target_pos_;  // node task: the target's local id
  gnn::Graph part_graph_;
  torch::Tensor edge_norm_, self_norm_;
  std::map<int64_t, TargetBatch> copies_;
  // The value of each node mask evaluated so far, keyed by its bits. The search samples the
  // same coalitions again and again (the empty and the full region in every expansion, small
  // coalitions, the same subgraph reached twice), and each copy in the union is computed
  // independently of the others, so a remembered value is the very number a new pass would give.
  std::unordered_map<std::string, double> remembered_;
  int64_t rows_requested_ = 0;
  int64_t rows_evaluated_ = 0;
};

}  // namespace gnnx::explainers::detail
