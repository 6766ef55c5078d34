#pragma once
// SubgraphX's Monte Carlo tree search over connected subgraphs (Yuan, Yu, Wang, Ji: "On
// Explainability of Graph Neural Networks via Subgraph Explorations", ICML 2021, Algorithm 1),
// with the semantics of DIG's MCTS class (dig/xgraph/method/subgraphx.py). It knows nothing of
// models: a reward function scores node sets, many at once, so that the caller can score all
// children of an expansion in one batched forward pass.
//
// A state is a connected node set (the root: every node). Expanding a state prunes, one at a
// time, each of its `expand_atoms` lowest-degree nodes (DIG's default; with `high2low`, the
// highest-degree ones, DIG's high2low; degree inside the state; ties: the lower node id, DIG's
// networkx order, in both orders) and keeps the largest connected component of what is left
// (ties: the component with the lowest node; node tasks: the component holding the target, which
// is never pruned). Equal node sets are one state (DIG's state map). A rollout descends from the
// root by Q + U, Q = W / N, U = c_puct P sqrt(sum of the siblings' N) / (1 + N), P the state's
// reward, the first maximum winning, until a state of at most `min_atoms` nodes, whose reward is
// added to W of every state on the path.
//
// Deviation from DIG: a state is "scored" by a flag; DIG re-scores a child whose reward is
// exactly 0 (compute_scores tests P == 0). DIG's node search also drops the target's protection
// when the target is node 0 of the subgraph (`if self.new_node_idx:`); ours always keeps it.

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

namespace gnnx::explainers::detail {

/// Node ids of one subgraph, ascending.
using Coalition = std::vector<int64_t>;

/// One reward per coalition, all computed at once.
using RewardFunction = std::function<std::vector<double>(const std::vector<Coalition>&)>;

struct SearchOptions {
  int64_t rollouts = 20;      ///< DIG's rollout
  double c_puct = 10.0;       ///< DIG's c_puct
  int64_t min_atoms = 5;      ///< DIG's min_atoms (N_min): states this small are leaves
  int64_t expand_atoms = 14;  ///< DIG's expand_atoms: nodes pruned per expansion
  bool high2low = false;      ///< DIG's high2low: prune the highest degrees first
  int64_t keep_node = -1;     ///< node task: the target (never pruned); -1: none
};

/// One state of the search tree.
struct SearchState {
  Coalition nodes;
  double reward = 0;              ///< P: the reward (Shapley value) of `nodes`
  bool scored = false;            ///< whether `reward` was computed
  double total = 0;               ///< W: sum of the rollout values through this state
  int64_t visits = 0;             ///< N
  std::vector<int64_t> children;  ///< indices into states()
};

class SubgraphSearch {
 public:
  /// `neighbours`: the graph as sorted adjacency lists without self-loops (undirected: each
  /// edge in both lists). Throws c10::Error for options out of range or keep_node out of range.
  SubgraphSearch(std::vector<std::vector<int64_t>> neighbours, SearchOptions options,
                 RewardFunction reward);

  /// Runs options.rollouts rollouts from the root.
  void run();

  /// Every state found: the root first, then in order of discovery.
  const std::vector<SearchState>& states() const { return states_; }

  /// The record holders: the states ordered by size (then reward, descending; then discovery),
  /// keeping the first and each later one whose reward beats every earlier record. The state
  /// DIG's find_closest_node_result picks for a budget of k nodes is the last record of at most
  /// k nodes (the first record where none is that small).
  std::vector<int64_t> records() const;

  /// DIG's find_closest_node_result: the index of the best state of at most `max_nodes` nodes.
  int64_t select(int64_t max_nodes) const;

  /// Scores state `s` if it was not (the root, when chosen); returns its reward.
  double ensure_scored(int64_t s);

 private:
  double rollout(int64_t s);
  void expand(int64_t s);
  Coalition prune(const Coalition& nodes, int64_t removed) const;
  int64_t state_of(Coalition nodes);

  std::vector<std::vector<int64_t>> neighbours_;
  SearchOptions options_;
  RewardFunction reward_;
  std::vector<SearchState> states_;
  std::map<Coalition, int64_t> index_;
};

}  // namespace gnnx::explainers::detail
