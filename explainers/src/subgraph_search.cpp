#include "subgraph_search.h"

#include <c10/util/Exception.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace gnnx::explainers::detail {

SubgraphSearch::SubgraphSearch(std::vector<std::vector<int64_t>> neighbours, SearchOptions options,
                               RewardFunction reward)
    : neighbours_(std::move(neighbours)), options_(options), reward_(std::move(reward)) {
  const auto n = static_cast<int64_t>(neighbours_.size());
  TORCH_CHECK(options_.rollouts >= 1, "SubgraphSearch: rollouts must be >= 1, got ",
              options_.rollouts);
  TORCH_CHECK(options_.c_puct >= 0, "SubgraphSearch: c_puct must be >= 0, got ", options_.c_puct);
  TORCH_CHECK(options_.min_atoms >= 1, "SubgraphSearch: min_atoms must be >= 1, got ",
              options_.min_atoms);
  TORCH_CHECK(options_.expand_atoms >= 1, "SubgraphSearch: expand_atoms must be >= 1, got ",
              options_.expand_atoms);
  TORCH_CHECK(options_.keep_node >= -1 && options_.keep_node < n, "SubgraphSearch: keep_node ",
              options_.keep_node, " is out of range for ", n, " nodes");
  Coalition all(n);
  std::iota(all.begin(), all.end(), 0);
  state_of(std::move(all));
}

int64_t SubgraphSearch::state_of(Coalition nodes) {
  const auto found = index_.find(nodes);
  if (found != index_.end()) return found->second;
  const auto s = static_cast<int64_t>(states_.size());
  index_.emplace(nodes, s);
  SearchState state;
  state.nodes = std::move(nodes);
  states_.push_back(std::move(state));
  return s;
}

void SubgraphSearch::run() {
  for (int64_t r = 0; r < options_.rollouts; ++r) rollout(0);
}

double SubgraphSearch::rollout(int64_t s) {
  if (static_cast<int64_t>(states_[s].nodes.size()) <= options_.min_atoms) {
    return states_[s].reward;
  }
  if (states_[s].children.empty()) expand(s);
  // Only a one-node state has no child (min_atoms >= 1 stops before), kept as a guard.
  if (states_[s].children.empty()) return states_[s].reward;
  int64_t sum_visits = 0;
  for (int64_t c : states_[s].children) sum_visits += states_[c].visits;
  const double root = std::sqrt(static_cast<double>(sum_visits));
  int64_t best = -1;
  double best_value = 0;
  for (int64_t c : states_[s].children) {
    const SearchState& child = states_[c];
    const double q = child.visits > 0 ? child.total / static_cast<double>(child.visits) : 0.0;
    const double u = options_.c_puct * child.reward * root / (1.0 + child.visits);
    // Strictly greater: the first maximum wins, as Python's max.
    if (best < 0 || q + u > best_value) {
      best = c;
      best_value = q + u;
    }
  }
  const double v = rollout(best);
  states_[best].total += v;
  states_[best].visits += 1;
  return v;
}

void SubgraphSearch::expand(int64_t s) {
  const Coalition nodes = states_[s].nodes;  // a copy: states_ grows below
  std::vector<char> inside(neighbours_.size(), 0);
  for (int64_t v : nodes) inside[v] = 1;
  std::vector<std::pair<int64_t, int64_t>> by_degree;  // (degree inside the state, node)
  for (int64_t v : nodes) {
    int64_t degree = 0;
    for (int64_t u : neighbours_[v]) degree += inside[u];
    by_degree.emplace_back(degree, v);
  }
  // Lowest degree first (highest with high2low); `nodes` is ascending, so a stable sort breaks
  // ties by node id either way, as Python's sorted(..., reverse=True) keeps equal keys in order.
  const bool high2low = options_.high2low;
  std::stable_sort(by_degree.begin(), by_degree.end(), [high2low](const auto& a, const auto& b) {
    return high2low ? a.first > b.first : a.first < b.first;
  });
  std::vector<int64_t> candidates;
  for (const auto& [degree, v] : by_degree) {
    if (v != options_.keep_node) candidates.push_back(v);
  }
  // DIG cuts the list when the state (not the candidate list) has more than expand_atoms nodes.
  if (static_cast<int64_t>(nodes.size()) > options_.expand_atoms &&
      static_cast<int64_t>(candidates.size()) > options_.expand_atoms) {
    candidates.resize(options_.expand_atoms);
  }
  for (int64_t v : candidates) {
    Coalition kept = prune(nodes, v);
    if (kept.empty()) continue;
    const int64_t child = state_of(std::move(kept));
    auto& children = states_[s].children;
    if (std::find(children.begin(), children.end(), child) == children.end()) {
      children.push_back(child);
    }
  }
  // Every new child scored in one call: one batched evaluation for the whole expansion.
  std::vector<int64_t> fresh;
  std::vector<Coalition> coalitions;
  for (int64_t c : states_[s].children) {
    if (!states_[c].scored) {
      fresh.push_back(c);
      coalitions.push_back(states_[c].nodes);
    }
  }
  if (fresh.empty()) return;
  const std::vector<double> rewards = reward_(coalitions);
  TORCH_INTERNAL_ASSERT(rewards.size() == fresh.size(), "reward function returned ", rewards.size(),
                        " rewards for ", fresh.size(), " subgraphs");
  for (size_t i = 0; i < fresh.size(); ++i) {
    states_[fresh[i]].reward = rewards[i];
    states_[fresh[i]].scored = true;
  }
}

Coalition SubgraphSearch::prune(const Coalition& nodes, int64_t removed) const {
  std::vector<char> inside(neighbours_.size(), 0);
  for (int64_t v : nodes) inside[v] = 1;
  inside[removed] = 0;
  std::vector<char> seen(neighbours_.size(), 0);
  Coalition best;
  bool best_has_keep = false;
  // Components in the order of their lowest node; the largest wins, the first of equal sizes.
  for (int64_t start : nodes) {
    if (!inside[start] || seen[start]) continue;
    Coalition component = {start};
    seen[start] = 1;
    for (size_t head = 0; head < component.size(); ++head) {
      for (int64_t u : neighbours_[component[head]]) {
        if (inside[u] && !seen[u]) {
          seen[u] = 1;
          component.push_back(u);
        }
      }
    }
    const bool has_keep = options_.keep_node >= 0 && seen[options_.keep_node];
    if (options_.keep_node >= 0) {
      if (has_keep && !best_has_keep) {
        best = std::move(component);
        best_has_keep = true;
      }
    } else if (component.size() > best.size()) {
      best = std::move(component);
    }
  }
  std::sort(best.begin(), best.end());
  return best;
}

std::vector<int64_t> SubgraphSearch::records() const {
  std::vector<int64_t> order(states_.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    if (states_[a].nodes.size() != states_[b].nodes.size()) {
      return states_[a].nodes.size() < states_[b].nodes.size();
    }
    return states_[a].reward > states_[b].reward;
  });
  std::vector<int64_t> out = {order.front()};
  for (int64_t s : order) {
    if (states_[s].reward > states_[out.back()].reward) out.push_back(s);
  }
  return out;
}

int64_t SubgraphSearch::select(int64_t max_nodes) const {
  const std::vector<int64_t> held = records();
  int64_t chosen = held.front();
  for (int64_t s : held) {
    if (static_cast<int64_t>(states_[s].nodes.size()) <= max_nodes) chosen = s;
  }
  return chosen;
}

double SubgraphSearch::ensure_scored(int64_t s) {
  if (!states_[s].scored) {
    states_[s].reward = reward_({states_[s].nodes}).at(0);
    states_[s].scored = true;
  }
  return states_[s].reward;
}

}  // namespace gnnx::explainers::detail
