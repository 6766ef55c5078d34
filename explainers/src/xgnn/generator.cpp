// XGNN training (REINFORCE with Monte-Carlo rollouts) and the selection of the best distinct
// graphs. Follows the reference code's episode structure (DIG dig/xgraph/XGNN/gnn_explain.py):
// every episode starts from one node and takes max_steps actions; an invalid action, or one whose
// total reward is negative, is rolled back. Differences, for correctness or speed:
//  - the policy gradient uses the log-probabilities of the masked distributions the actions were
//    sampled from (the reference takes the cross-entropy over all padded rows);
//  - rollouts stop once the graph has max_nodes nodes ("rollouts to the full size"; the
//    reference continues adding edges for the episode's remaining steps);
//  - a rollout rolls a rule-breaking action back and goes on (skip_invalid_in_rollouts; the
//    reference ends it with rollout_penalty, which at 15 nodes ended 99% of the rollouts);
//  - the classifier's probabilities are cached per exact structure and the rollouts' final
//    graphs are scored in one batch;
//  - actions are sampled with gnnx's own seeded generator, so a seed fixes the run.

#include <gnnx/explainers/xgnn.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/gcn_adjacency.h>
#include <gnnx/gnn/subgraph.h>

#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/sgd.h>
#include <torch/utils.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <random>
#include <unordered_map>

#include "xgnn/policy.h"

namespace gnnx::explainers {
namespace {

using xgnn_detail::Policy;

// Uniform in [0, 1) from 53 random bits: the same numbers on every standard library.
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

int64_t sample(const torch::Tensor& log_probs, std::mt19937_64& rng) {
  const torch::Tensor p = log_probs.detach().exp().to(torch::kDouble).contiguous();
  const double* data = p.data_ptr<double>();
  const int64_t n = p.numel();
  double total = 0;
  for (int64_t i = 0; i < n; ++i) total += data[i];
  const double u = uniform01(rng) * total;
  double cumulative = 0;
  int64_t last_possible = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (data[i] <= 0) continue;
    last_possible = i;
    cumulative += data[i];
    if (u < cumulative) return i;
  }
  return last_possible;  // rounding at the top end
}

struct Action {
  int64_t start = 0, end = 0;
  torch::Tensor log_prob;  // log pi(start) + log pi(end | start); has a graph when training
};

// Which actions the policy may sample. With mask_impossible, an end node that is already a
// neighbour of the start, and a new node once the graph has max_nodes nodes, get probability 0
// (and so does a start without any such end); the rules are still checked after the action.
struct ActionMask {
  std::vector<uint8_t> starts;
  std::vector<std::vector<uint8_t>> ends;  // per start node
  bool any() const { return std::find(starts.begin(), starts.end(), 1) != starts.end(); }
};

ActionMask action_mask(const GeneratedGraph& g, int64_t num_types, int64_t max_nodes) {
  const int64_t n = g.num_nodes();
  ActionMask mask;
  mask.starts.assign(n, 0);
  mask.ends.assign(n, std::vector<uint8_t>(n + num_types, 1));
  for (const auto& e : g.edges) {
    mask.ends[e[0]][e[1]] = 0;
    mask.ends[e[1]][e[0]] = 0;
  }
  for (int64_t i = 0; i < n; ++i) {
    mask.ends[i][i] = 0;
    if (n >= max_nodes) std::fill(mask.ends[i].begin() + n, mask.ends[i].end(), 0);
    mask.starts[i] = std::find(mask.ends[i].begin(), mask.ends[i].end(), 1) != mask.ends[i].end();
  }
  return mask;
}

Action choose(Policy& policy, const GeneratedGraph& g, std::mt19937_64& rng,
              const ActionMask* mask) {
  static const std::vector<uint8_t> kAll;
  const torch::Tensor h = policy->embed(g);
  const torch::Tensor start_lp =
      policy->start_log_probs(h, g.num_nodes(), mask ? mask->starts : kAll);
  Action a;
  a.start = sample(start_lp, rng);
  const torch::Tensor end_lp = policy->end_log_probs(h, a.start, mask ? mask->ends[a.start] : kAll);
  a.end = sample(end_lp, rng);
  a.log_prob = start_lp[a.start] + end_lp[a.end];
  return a;
}

// The classifier's probability of the target class, cached per exact structure.
class Scorer {
 public:
  Scorer(gnn::GnnModel& model, int64_t target_class, const GraphFeaturizer& featurizer)
      : model_(model), target_(target_class), featurizer_(featurizer) {}

  std::vector<double> operator()(const std::vector<const GeneratedGraph*>& graphs) {
    std::vector<double> out(graphs.size());
    std::vector<gnn::Graph> todo;
    std::vector<size_t> todo_pos;
    std::vector<std::string> todo_key;
    for (size_t i = 0; i < graphs.size(); ++i) {
      std::string key = graphs[i]->structure_key();
      auto it = cache_.find(key);
      if (it != cache_.end()) {
        out[i] = it->second;
        continue;
      }
      todo.push_back(featurizer_(*graphs[i]));
      todo_pos.push_back(i);
      todo_key.push_back(std::move(key));
    }
    if (todo.empty()) return out;
    torch::NoGradGuard no_grad;
    const gnn::Batch batch = gnn::make_batch(todo);
    const torch::Tensor logits = model_.logits(batch.graph.x(), gnn::GcnAdjacency(batch.graph), {},
                                               batch.batch, batch.num_graphs());
    const torch::Tensor p =
        torch::softmax(logits.to(torch::kDouble), 1).select(1, target_).contiguous();
    for (size_t k = 0; k < todo.size(); ++k) {
      // The cache may already hold the key when one batch repeats a graph: same value.
      const double v = p[static_cast<int64_t>(k)].item<double>();
      cache_.emplace(todo_key[k], v);
      out[todo_pos[k]] = v;
    }
    return out;
  }

  double operator()(const GeneratedGraph& g) { return (*this)({&g}).front(); }
  int64_t size() const { return static_cast<int64_t>(cache_.size()); }

 private:
  gnn::GnnModel& model_;
  int64_t target_;
  const GraphFeaturizer& featurizer_;
  std::unordered_map<std::string, double> cache_;
};

// Every valid graph the policy built, once per exact structure, in order of discovery.
class Pool {
 public:
  void add(const GeneratedGraph& g, double probability) {
    if (index_.emplace(g.structure_key(), entries_.size()).second) {
      entries_.push_back({g, probability});
    }
  }
  // The best `count` pairwise non-isomorphic graphs with at least min_nodes nodes.
  std::vector<ScoredGraph> best(int64_t count, int64_t min_nodes) const {
    std::vector<const ScoredGraph*> ranked;
    for (const auto& e : entries_) {
      if (e.graph.num_nodes() >= min_nodes) ranked.push_back(&e);
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto* a, const auto* b) { return a->probability > b->probability; });
    std::vector<ScoredGraph> out;
    for (const ScoredGraph* candidate : ranked) {
      if (static_cast<int64_t>(out.size()) == count) break;
      const bool seen = std::any_of(out.begin(), out.end(), [&](const ScoredGraph& kept) {
        return isomorphic(kept.graph, candidate->graph);
      });
      if (!seen) out.push_back(*candidate);
    }
    return out;
  }

 private:
  std::vector<ScoredGraph> entries_;
  std::unordered_map<std::string, size_t> index_;
};

// A rollout's view of one graph: the policy's node embeddings and the actions still open
// (mask_impossible's mask, minus the actions that already broke a rule from this graph).
struct RolloutState {
  torch::Tensor embedding;
  std::optional<ActionMask> mask;  // none without mask_impossible
  void forbid(int64_t start, int64_t end) {
    if (!mask) return;
    mask->ends[start][end] = 0;
    const auto& ends = mask->ends[start];
    mask->starts[start] = std::find(ends.begin(), ends.end(), 1) != ends.end();
  }
};

class Environment {
 public:
  Environment(const std::vector<GraphRule>& rules, const XgnnOptions& options)
      : rules_(rules), options_(options) {}

  GeneratedGraph start() const { return GeneratedGraph{{options_.start_type}, {}}; }

  bool apply(GeneratedGraph& g, const Action& a) const {
    return try_action(g, a.start, a.end, options_.max_nodes, rules_);
  }

  int64_t max_nodes() const { return options_.max_nodes; }

  RolloutState rollout_state(Policy& policy, const GeneratedGraph& g) const {
    RolloutState state;
    state.embedding = policy->embed(g);
    if (options_.mask_impossible) {
      state.mask = action_mask(g, policy->num_types(), options_.max_nodes);
    }
    return state;
  }

  // Samples a rollout action (no gradient); nullopt when the mask leaves none.
  std::optional<Action> choose_action(Policy& policy, const RolloutState& state,
                                      const GeneratedGraph& g, std::mt19937_64& rng) const {
    static const std::vector<uint8_t> kAll;
    if (state.mask && !state.mask->any()) return std::nullopt;
    const torch::Tensor start_lp = policy->start_log_probs(state.embedding, g.num_nodes(),
                                                           state.mask ? state.mask->starts : kAll);
    Action a;
    a.start = sample(start_lp, rng);
    const torch::Tensor end_lp = policy->end_log_probs(
        state.embedding, a.start, state.mask ? state.mask->ends[a.start] : kAll);
    a.end = sample(end_lp, rng);
    return a;
  }

  // Samples an action from the policy; nullopt when the mask leaves none (a saturated graph).
  std::optional<Action> choose_action(Policy& policy, const GeneratedGraph& g,
                                      std::mt19937_64& rng) const {
    if (!options_.mask_impossible) return choose(policy, g, rng, nullptr);
    const ActionMask mask = action_mask(g, policy->num_types(), options_.max_nodes);
    if (!mask.any()) return std::nullopt;
    return choose(policy, g, rng, &mask);
  }

 private:
  const std::vector<GraphRule>& rules_;
  const XgnnOptions& options_;
};

}  // namespace

int64_t default_max_steps(int64_t max_nodes) { return std::max<int64_t>(30, 4 * max_nodes); }

bool try_action(GeneratedGraph& g, int64_t start, int64_t end, int64_t max_nodes,
                const std::vector<GraphRule>& rules) {
  const int64_t n = g.num_nodes();
  if (start < 0 || start >= n || end < 0 || start == end) return false;
  if (end >= n) {
    if (n >= max_nodes) return false;
    g.types.push_back(end - n);
    end = n;
  } else if (g.has_edge(start, end)) {
    return false;
  }
  g.edges.push_back({std::min(start, end), std::max(start, end)});
  for (const auto& rule : rules) {
    if (!rule(g)) {
      g.edges.pop_back();
      if (g.num_nodes() > n) g.types.pop_back();
      return false;
    }
  }
  return true;
}

namespace {

void check_inputs(gnn::GnnModel& model, int64_t target_class, const GraphFeaturizer& featurizer,
                  const XgnnOptions& options, int64_t num_types) {
  options.validate(num_types);
  if (model.spec().task != gnn::Task::kGraphClassification) {
    throw InputError("xgnn: needs a graph classifier, the model is a " +
                     gnn::to_string(model.spec().task) + " model");
  }
  const int64_t classes = model.spec().num_classes;
  if (classes < 2) {
    throw InputError("xgnn: the model has " + std::to_string(classes) +
                     " output(s); a classifier with at least 2 classes is needed");
  }
  if (target_class < 0 || target_class >= classes) {
    throw InputError("xgnn: class " + std::to_string(target_class) + " is out of range for " +
                     std::to_string(classes) + " classes (valid: 0-" + std::to_string(classes - 1) +
                     ")");
  }
  const GeneratedGraph single{{options.start_type}, {}};
  const int64_t width = featurizer(single).num_features();
  if (width != model.spec().in_features) {
    throw InputError("xgnn: the featurizer gives " + std::to_string(width) +
                     " features per node, the model reads " +
                     std::to_string(model.spec().in_features));
  }
}

}  // namespace

XgnnResult run_xgnn(gnn::GnnModel& model, int64_t target_class,
                    const std::vector<std::string>& type_names, const GraphFeaturizer& featurizer,
                    const std::vector<GraphRule>& rules, const XgnnOptions& options) {
  const auto num_types = static_cast<int64_t>(type_names.size());
  check_inputs(model, target_class, featurizer, options, num_types);
  const auto started = std::chrono::steady_clock::now();
  model.eval();

  torch::manual_seed(options.seed);  // the policy's initial weights
  Policy policy(num_types);
  torch::optim::SGD optimizer(policy->parameters(), torch::optim::SGDOptions(options.lr)
                                                        .momentum(options.momentum)
                                                        .weight_decay(options.weight_decay));
  std::mt19937_64 rng(options.seed);
  Scorer score(model, target_class, featurizer);
  Pool pool;
  const Environment env(rules, options);
  XgnnResult result;

  // Mean of (p_target - 0.5) over rollouts that continue g to max_nodes nodes within `steps`
  // actions. A rule-breaking action is rolled back and the rollout goes on
  // (skip_invalid_in_rollouts), or ends the rollout, which then counts rollout_penalty.
  auto rollout_value = [&](const GeneratedGraph& g, int64_t steps) {
    if (options.rollouts == 0) return 0.0;
    torch::NoGradGuard no_grad;
    std::vector<GeneratedGraph> finals;
    int64_t penalised = 0;
    for (int64_t r = 0; r < options.rollouts; ++r) {
      GeneratedGraph cur = g;
      bool broke = false;
      // After a rolled-back action the graph is unchanged: its embedding and mask are reused,
      // and the action that broke a rule is masked out for the next try from the same graph.
      std::optional<RolloutState> state;
      for (int64_t s = 0; s < steps && cur.num_nodes() < env.max_nodes(); ++s) {
        if (!state) state = env.rollout_state(policy, cur);
        const std::optional<Action> action = env.choose_action(policy, *state, cur, rng);
        if (!action) break;
        if (env.apply(cur, *action)) {
          state.reset();
          continue;
        }
        if (!options.skip_invalid_in_rollouts) {
          broke = true;
          break;
        }
        ++result.skipped_rollout_actions;  // rolled back by apply(); the rollout goes on
        state->forbid(action->start, action->end);
      }
      ++result.rollouts;
      if (broke) {
        ++result.broken_rollouts;
        ++penalised;
      } else {
        finals.push_back(std::move(cur));
      }
    }
    std::vector<const GeneratedGraph*> pointers;
    pointers.reserve(finals.size());
    for (const auto& f : finals) pointers.push_back(&f);
    const std::vector<double> p = score(pointers);
    double total = options.rollout_penalty * static_cast<double>(penalised);
    for (size_t k = 0; k < finals.size(); ++k) {
      total += p[k] - 0.5;
      pool.add(finals[k], p[k]);
    }
    return total / static_cast<double>(options.rollouts);
  };

  double baseline = 0;
  for (int64_t episode = 0; episode < options.iterations; ++episode) {
    GeneratedGraph g = env.start();
    double reward_sum = 0;
    int64_t steps_taken = 0;
    for (int64_t step = 0; step < options.max_steps; ++step) {
      const std::optional<Action> chosen = env.choose_action(policy, g, rng);
      if (!chosen) break;  // saturated: no edge can be added
      const Action& action = *chosen;
      const GeneratedGraph before = g;
      double reward = options.invalid_reward;
      ++result.actions;
      if (env.apply(g, action)) {
        const double p = score(g);
        pool.add(g, p);
        reward = options.step_reward + (p - 0.5) +
                 options.rollout_weight * rollout_value(g, options.max_steps - step - 1);
        if (options.rollback_negative && reward < 0) g = before;
      } else {
        ++result.invalid_actions;
      }
      reward_sum += reward;
      ++steps_taken;
      // REINFORCE with a running-mean baseline: the same expected gradient, less variance.
      const double advantage = reward - baseline;
      baseline = options.baseline_decay * baseline + (1 - options.baseline_decay) * reward;
      optimizer.zero_grad();
      const torch::Tensor loss = -advantage * action.log_prob;
      loss.backward();
      torch::nn::utils::clip_grad_norm_(policy->parameters(), options.grad_clip);
      optimizer.step();
    }
    const double mean_reward =
        steps_taken == 0 ? 0.0 : reward_sum / static_cast<double>(steps_taken);
    result.iteration_reward.push_back(mean_reward);
    result.iteration_probability.push_back(score(g));
    if (options.on_iteration) options.on_iteration(episode + 1, options.iterations, mean_reward);
  }

  // Generation: the trained policy builds graphs; invalid actions are skipped.
  {
    torch::NoGradGuard no_grad;
    for (int64_t episode = 0; episode < options.generation_episodes; ++episode) {
      GeneratedGraph g = env.start();
      for (int64_t step = 0; step < options.max_steps; ++step) {
        const std::optional<Action> action = env.choose_action(policy, g, rng);
        if (!action) break;
        if (env.apply(g, *action)) pool.add(g, score(g));
      }
    }
  }

  const int64_t min_nodes = options.min_nodes > 0 ? options.min_nodes : options.max_nodes;
  result.graphs = pool.best(options.num_results, min_nodes);
  result.graphs_scored = score.size();
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace gnnx::explainers
