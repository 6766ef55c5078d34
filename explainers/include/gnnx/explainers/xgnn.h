#pragma once
// XGNN (Yuan, Tang, Hu, Ji: "XGNN: Towards Model-Level Explanations of Graph Neural Networks",
// KDD 2020): explains what a graph classifier has learned for a class by generating graphs
// that maximise the class's probability.
//
// A policy network (a GCN over the current graph plus one isolated "candidate" node per node
// type) picks a start node among the graph's nodes and an end node among the graph's nodes and
// the candidates; picking a candidate adds a node of that type. Each action is rewarded by
//   step_reward + (p_target(G') - 0.5) + rollout_weight * mean over rollouts (p_target - 0.5)
// where the rollouts continue G' with the current policy up to max_nodes nodes (rolling back
// the actions that break a rule, or ending there: skip_invalid_in_rollouts); an action that
// breaks a rule (a duplicate edge, a node beyond max_nodes, or a GraphRule such as a degree
// limit or RDKit's valence check) is rewarded invalid_reward and rolled back (the reference
// code also rolls back a valid action whose total reward is negative: rollback_negative). The
// policy is trained by REINFORCE:
//   loss = reward * (-log pi(start) - log pi(end)).
//
// Defaults are those of the authors' reference code (DIG, dig/xgraph/XGNN/gnn_explain.py and
// policy_nn.py; main.py runs max_node 6, max_step 30, 50 iterations): 10 rollouts, rollout
// weight 2, rollout penalty -0.1, step reward 0.1, invalid action -1, SGD lr 0.01 momentum 0.9
// weight decay 5e-4, gradient norm clipped at 100; policy: linear 7->8, GCN 8->16->24->32,
// start head 32->16->1 and end head 64->24->1 with ReLU6. README lists where gnnx differs.

#include <gnnx/gnn/graph.h>
#include <gnnx/gnn/models.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace gnnx::explainers {

/// An undirected simple graph whose nodes have types (indices into the generator's type list).
struct GeneratedGraph {
  std::vector<int64_t> types;                 ///< [n] node type of each node
  std::vector<std::array<int64_t, 2>> edges;  ///< undirected, u < v, in order of addition

  int64_t num_nodes() const { return static_cast<int64_t>(types.size()); }
  int64_t num_edges() const { return static_cast<int64_t>(edges.size()); }
  bool has_edge(int64_t u, int64_t v) const;
  int64_t degree(int64_t node) const;
  /// Exact identity of the structure (types and sorted edge list) — not an isomorphism key.
  std::string structure_key() const;
  /// Both directions of every edge as an edge index [2, 2m] (u->v then v->u per edge).
  torch::Tensor edge_index() const;
};

/// A rule every generated graph must satisfy after each action (e.g. a degree limit, or
/// molecular valence). allows() sees the whole graph after the action; a violation rolls it back.
using GraphRule = std::function<bool(const GeneratedGraph&)>;

/// Plain graphs: no node's degree exceeds max_degree[type] (one entry per node type).
GraphRule degree_limit_rule(std::vector<int64_t> max_degree);

/// One generator action: an edge from `start` (a node of g) to `end` (a node of g, or
/// g.num_nodes() + t to add a new node of type t). Applies it and returns true, or returns false
/// and leaves g exactly as it was (rollback) when it breaks a rule: start == end, an existing
/// edge, a new node beyond max_nodes, or any of `rules`.
bool try_action(GeneratedGraph& g, int64_t start, int64_t end, int64_t max_nodes,
                const std::vector<GraphRule>& rules);

/// What the classifier reads for a generated graph.
using GraphFeaturizer = std::function<gnn::Graph(const GeneratedGraph&)>;

/// Node features from a table: node of type t gets row t of type_features [T, F].
GraphFeaturizer type_row_featurizer(const torch::Tensor& type_features);

struct XgnnOptions {
  int64_t max_nodes = 6;          ///< graphs grow up to this many nodes (reference: 6)
  int64_t max_steps = 30;         ///< actions per training episode (reference: 30)
  int64_t iterations = 50;        ///< training episodes (reference: 50)
  int64_t rollouts = 10;          ///< Monte-Carlo rollouts per valid action (reference: 10)
  double rollout_weight = 2.0;    ///< reference roll_out_alpha
  double rollout_penalty = -0.1;  ///< a rollout that breaks a rule (reference)
  double step_reward = 0.1;       ///< reward of a valid action (reference reward_stepwise)
  double invalid_reward = -1.0;   ///< reward of an action that breaks a rule (reference)
  /// The policy gradient weighs each action by reward - baseline, the baseline a running mean
  /// of past rewards with this decay (0 = no baseline, as the reference code).
  double baseline_decay = 0.9;
  double lr = 0.01;  ///< SGD (reference)
  double momentum = 0.9;
  double weight_decay = 5e-4;
  double grad_clip = 100.0;  ///< max gradient norm (reference)
  /// Give probability 0 to actions that cannot succeed whatever the rules say (an edge that
  /// exists, a new node beyond max_nodes), and end an episode when no other is left. The
  /// reference code samples them and rewards them invalid_reward; masked, the rewards measure
  /// the classifier instead of the saturation of the graph (README).
  bool mask_impossible = true;
  /// Also roll back a valid action whose total reward is negative (the reference code does).
  /// Off by default: from a start the classifier scores low for the target class every action
  /// pays negative, so nothing ever grows (measured on the triangle toy; see README).
  bool rollback_negative = false;
  /// What a rollout does with an action that breaks a rule. The reference code ends the
  /// rollout and scores it rollout_penalty; with skip_invalid_in_rollouts the action is rolled
  /// back and the rollout goes on (as generation does), so the rollout estimates what the policy
  /// would finish the graph as. Without it, rollouts to 15 nodes under valence or degree rules
  /// almost all broke (README), every action got the same penalty and graphs did not grow.
  bool skip_invalid_in_rollouts = true;
  int64_t start_type = 0;  ///< type of the single node every episode starts from
  /// After training, this many episodes of max_steps actions are sampled from the trained
  /// policy (invalid actions rolled back, no learning); their graphs join the result pool.
  int64_t generation_episodes = 100;
  /// Graphs returned: the `num_results` most probable distinct (non-isomorphic) graphs with
  /// at least `min_nodes` nodes (0 = max_nodes) among every valid graph the policy built.
  int64_t num_results = 10;
  int64_t min_nodes = 0;
  uint64_t seed = 0;  ///< policy initialisation and every sampled action
  /// Called after each training episode with (episode, episodes, mean reward of its actions).
  std::function<void(int64_t, int64_t, double)> on_iteration;

  /// Throws InputError naming the first invalid field.
  void validate(int64_t num_types) const;
};

/// Actions per episode for graphs of up to max_nodes nodes: max(30, 4 * max_nodes). The
/// reference's 30 is for 6 nodes; with 15 (valence rules rejecting most actions) episodes of 30
/// actions never reached the full size. Used by `gnnx generate` and xgnn_bench.
int64_t default_max_steps(int64_t max_nodes);

struct ScoredGraph {
  GeneratedGraph graph;
  double probability = 0;  ///< the classifier's probability of the target class
};

struct XgnnResult {
  std::vector<ScoredGraph> graphs;       ///< best first, pairwise non-isomorphic
  std::vector<double> iteration_reward;  ///< mean total reward of each training episode
  /// The target probability of the graph each training episode ends with.
  std::vector<double> iteration_probability;
  int64_t actions = 0;          ///< training actions taken
  int64_t invalid_actions = 0;  ///< of which rolled back for breaking a rule
  int64_t graphs_scored = 0;    ///< distinct structures the classifier scored
  int64_t rollouts = 0;         ///< Monte-Carlo rollouts run during training
  /// Rollouts ended by a rule-breaking action (scored rollout_penalty); 0 when
  /// skip_invalid_in_rollouts.
  int64_t broken_rollouts = 0;
  /// Rollout actions rolled back for breaking a rule (skip_invalid_in_rollouts).
  int64_t skipped_rollout_actions = 0;
  double seconds = 0;  ///< training and generation
};

/// Trains a generator for `target_class` of `model` (a graph classifier; its softmax gives the
/// probabilities) and returns the best graphs it builds. `type_names` names the node types (the
/// policy's one-hot input has one column per type); `featurizer` turns a generated graph into the
/// classifier's input; every rule in `rules` must hold for a graph to be kept.
/// Deterministic for a given options.seed (on CPU). Throws InputError for a model that is not a
/// graph classifier, a class out of range, a featurizer whose width does not match the model,
/// or invalid options.
XgnnResult run_xgnn(gnn::GnnModel& model, int64_t target_class,
                    const std::vector<std::string>& type_names, const GraphFeaturizer& featurizer,
                    const std::vector<GraphRule>& rules, const XgnnOptions& options);

/// Whether `graph` contains `motif` as an induced subgraph (Boost VF2; node types ignored).
bool contains_induced_motif(const GeneratedGraph& graph, const gnn::Graph& motif);

/// Whether the two graphs are isomorphic with matching node types (Boost VF2).
bool isomorphic(const GeneratedGraph& a, const GeneratedGraph& b);

/// Draws the graphs side by side with render_explanation (Graphviz; .svg, .png, .pdf, .dot):
/// one disjoint union, each graph's nodes shaded by its probability (darker = more probable).
/// Atomic; throws InputError for an unknown extension or an unwritable path, Error when
/// Graphviz fails.
void render_generated_graphs(const std::vector<ScoredGraph>& graphs, int64_t target_class,
                             const std::string& path);

}  // namespace gnnx::explainers
