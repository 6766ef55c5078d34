#include <gnnx/explainers/metrics.h>
#include <gnnx/explainers/target_batch.h>
#include <gnnx/gnn/boost_graph.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/gcn_adjacency.h>

#include <boost/graph/isomorphism.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>
#include <utility>
#include <vector>

namespace gnnx::explainers {
namespace {

const torch::Tensor& ground_truth_of(const Explanation& e,
                                     const std::vector<torch::Tensor>& gt_edge_mask) {
  const size_t g = e.task == gnn::Task::kNodeClassification ? 0 : static_cast<size_t>(e.target);
  if (g >= gt_edge_mask.size()) {
    throw InputError("metrics: no ground truth for graph " + std::to_string(g));
  }
  return gt_edge_mask[g];
}

// Positions (into e.edge_ids) of the k best edges, ties broken by position for determinism.
std::vector<int64_t> top_edges(const Explanation& e, int64_t k) {
  const auto mask = e.edge_mask.to(torch::kDouble).contiguous();
  const double* m = mask.data_ptr<double>();
  std::vector<int64_t> order(mask.numel());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return m[a] > m[b]; });
  order.resize(std::min<int64_t>(k, order.size()));
  return order;
}

void require_edge_mask(const Explanation& e) {
  if (!e.edge_mask.defined()) {
    throw InputError("metrics: method '" + e.method + "' gave no edge importances");
  }
}

}  // namespace

double roc_auc(const torch::Tensor& scores, const torch::Tensor& labels) {
  if (scores.numel() != labels.numel()) {
    throw InputError("roc_auc: " + std::to_string(scores.numel()) + " scores but " +
                     std::to_string(labels.numel()) + " labels");
  }
  const auto s = scores.to(torch::kDouble).reshape({-1}).contiguous();
  const auto l = labels.to(torch::kBool).reshape({-1}).contiguous();
  const int64_t n = s.numel();
  const double* sp = s.data_ptr<double>();
  const bool* lp = l.data_ptr<bool>();
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return sp[a] < sp[b]; });
  // Mann-Whitney U with average ranks for ties.
  double rank_sum = 0;
  int64_t positives = 0;
  for (int64_t i = 0; i < n;) {
    int64_t j = i;
    while (j + 1 < n && sp[order[j + 1]] == sp[order[i]]) ++j;
    const double avg_rank = 0.5 * double(i + j) + 1.0;
    for (int64_t k = i; k <= j; ++k) {
      if (lp[order[k]]) {
        rank_sum += avg_rank;
        ++positives;
      }
    }
    i = j + 1;
  }
  const int64_t negatives = n - positives;
  if (positives == 0 || negatives == 0) return std::numeric_limits<double>::quiet_NaN();
  return (rank_sum - double(positives) * double(positives + 1) / 2.0) /
         (double(positives) * double(negatives));
}

double explanation_auc(const std::vector<Explanation>& explanations,
                       const std::vector<torch::Tensor>& gt_edge_mask) {
  std::vector<torch::Tensor> scores, labels;
  for (const auto& e : explanations) {
    require_edge_mask(e);
    scores.push_back(e.edge_mask.to(torch::kDouble));
    labels.push_back(ground_truth_of(e, gt_edge_mask).index_select(0, e.edge_ids));
  }
  if (scores.empty()) return std::numeric_limits<double>::quiet_NaN();
  return roc_auc(torch::cat(scores), torch::cat(labels));
}

double own_motif_auc(const std::vector<Explanation>& explanations, const gnn::Graph& graph,
                     const torch::Tensor& motif_id) {
  if (!motif_id.defined() || motif_id.dim() != 1 || motif_id.size(0) != graph.num_nodes()) {
    throw InputError("own_motif_auc: motif_id must be [" + std::to_string(graph.num_nodes()) +
                     "], one motif instance per node");
  }
  const auto ids = motif_id.to(torch::kLong);
  const auto src_motif = ids.index_select(0, graph.edge_index()[0]);
  const auto dst_motif = ids.index_select(0, graph.edge_index()[1]);
  std::vector<torch::Tensor> scores, labels;
  for (const auto& e : explanations) {
    require_edge_mask(e);
    if (e.target < 0 || e.target >= graph.num_nodes()) {
      throw InputError("own_motif_auc: target " + std::to_string(e.target) +
                       " is not a node of the graph");
    }
    const int64_t own = ids[e.target].item<int64_t>();
    if (own < 0) continue;
    scores.push_back(e.edge_mask.to(torch::kDouble));
    labels.push_back((src_motif.eq(own) & dst_motif.eq(own)).index_select(0, e.edge_ids));
  }
  if (scores.empty()) return std::numeric_limits<double>::quiet_NaN();
  return roc_auc(torch::cat(scores), torch::cat(labels));
}

double precision_at_k(const std::vector<Explanation>& explanations,
                      const std::vector<torch::Tensor>& gt_edge_mask, int64_t k) {
  double total = 0;
  int64_t counted = 0;
  for (const auto& e : explanations) {
    require_edge_mask(e);
    const auto gt = ground_truth_of(e, gt_edge_mask).index_select(0, e.edge_ids).to(torch::kBool);
    const int64_t kk = k > 0 ? k : gt.sum().item<int64_t>();
    if (kk == 0 || e.edge_ids.numel() == 0) continue;
    int64_t hits = 0;
    const auto best = top_edges(e, kk);
    for (int64_t pos : best) hits += gt[pos].item<bool>() ? 1 : 0;
    total += double(hits) / double(best.size());
    ++counted;
  }
  return counted ? total / counted : std::numeric_limits<double>::quiet_NaN();
}

double characterization_score(double fidelity_plus, double fidelity_minus, double w_plus,
                              double w_minus) {
  const double a = fidelity_plus, b = 1.0 - fidelity_minus;
  if (a <= 0 || b <= 0) return 0.0;
  return (w_plus + w_minus) / (w_plus / a + w_minus / b);
}

FidelityScores fidelity(gnn::GnnModel& model, const std::vector<gnn::Graph>& graphs,
                        const std::vector<Explanation>& explanations, int64_t top_k) {
  FidelityScores out;
  if (explanations.empty()) return out;
  torch::NoGradGuard no_grad;
  const bool was_training = model.is_training();
  model.eval();
  const bool node_task = model.spec().task == gnn::Task::kNodeClassification;
  // All targets in one disjoint union (TargetBatch): three forward passes in all — full graph,
  // explanation removed, explanation alone — instead of three per target.
  std::vector<int64_t> targets;
  for (const auto& e : explanations) {
    require_edge_mask(e);
    const size_t g = node_task ? 0 : static_cast<size_t>(e.target);
    if (g >= graphs.size()) throw InputError("fidelity: no graph " + std::to_string(g));
    targets.push_back(e.target);
  }
  const TargetBatch batch = node_task
                                ? make_node_batch(graphs.at(0), gnn::GcnAdjacency(graphs.at(0)),
                                                  targets, model.spec().num_layers)
                                : make_graph_batch(graphs, targets);
  auto without = torch::ones({batch.graph.num_edges()});
  auto only = torch::zeros({batch.graph.num_edges()});
  std::vector<int64_t> kept_count;
  for (int64_t t = 0; t < batch.num_parts(); ++t) {
    const auto& e = explanations[t];
    const int64_t first = batch.edge_offset[t].item<int64_t>();
    const auto part_ids = batch.edge_id.slice(0, first, batch.edge_offset[t + 1].item<int64_t>());
    const auto chosen = torch::tensor(top_edges(e, top_k), torch::kLong);
    // Union positions of the chosen edges: part edge ids are ascending original ids.
    const auto pos = torch::searchsorted(part_ids, e.edge_ids.index_select(0, chosen)) + first;
    without.index_fill_(0, pos, 0.0);
    only.index_fill_(0, pos, 1.0);
    kept_count.push_back(chosen.numel());
  }
  auto probs = [&](const torch::Tensor& mask) {
    return torch::softmax(target_logits(model, batch, batch.graph.x(), mask).to(torch::kDouble), 1);
  };
  const auto full = probs({});
  const auto removed = probs(without);
  const auto kept = probs(only);
  for (int64_t t = 0; t < batch.num_parts(); ++t) {
    const auto& e = explanations[t];
    const int64_t c = e.explained_class;
    out.fidelity_plus_prob += (full[t][c] - removed[t][c]).item<double>();
    out.fidelity_minus_prob += (full[t][c] - kept[t][c]).item<double>();
    const double hit_full = full[t].argmax().item<int64_t>() == c ? 1 : 0;
    out.fidelity_plus_acc += hit_full - (removed[t].argmax().item<int64_t>() == c ? 1 : 0);
    out.fidelity_minus_acc += hit_full - (kept[t].argmax().item<int64_t>() == c ? 1 : 0);
    const int64_t m = e.edge_ids.numel();
    out.sparsity += m ? 1.0 - double(kept_count[t]) / double(m) : 0.0;
  }
  model.train(was_training);
  const double n = double(explanations.size());
  out.fidelity_plus_prob /= n;
  out.fidelity_minus_prob /= n;
  out.fidelity_plus_acc /= n;
  out.fidelity_minus_acc /= n;
  out.sparsity /= n;
  out.characterization = characterization_score(out.fidelity_plus_prob, out.fidelity_minus_prob);
  return out;
}

double motif_recovery(const std::vector<Explanation>& explanations, const gnn::Graph& graph,
                      const gnn::Graph& motif) {
  const gnn::BoostGraph motif_graph = gnn::to_boost_undirected(motif);
  const size_t motif_edges = boost::num_edges(motif_graph);
  const auto ei = graph.edge_index().contiguous();
  int64_t recovered = 0;
  for (const auto& e : explanations) {
    require_edge_mask(e);
    // Walk edges best-first, merging directions, until the motif's edge count is reached.
    std::set<std::pair<int64_t, int64_t>> chosen;
    for (int64_t pos : top_edges(e, e.edge_ids.numel())) {
      const int64_t id = e.edge_ids[pos].item<int64_t>();
      const int64_t u = ei[0][id].item<int64_t>(), v = ei[1][id].item<int64_t>();
      chosen.insert({std::min(u, v), std::max(u, v)});
      if (chosen.size() == motif_edges) break;
    }
    std::vector<int64_t> nodes;
    for (auto [u, v] : chosen) nodes.insert(nodes.end(), {u, v});
    std::sort(nodes.begin(), nodes.end());
    nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
    if (nodes.size() != boost::num_vertices(motif_graph)) continue;
    gnn::BoostGraph candidate(nodes.size());
    for (auto [u, v] : chosen) {
      const auto a = std::lower_bound(nodes.begin(), nodes.end(), u) - nodes.begin();
      const auto b = std::lower_bound(nodes.begin(), nodes.end(), v) - nodes.begin();
      boost::add_edge(a, b, candidate);
    }
    if (boost::isomorphism(candidate, motif_graph)) ++recovered;
  }
  return explanations.empty() ? 0.0 : double(recovered) / double(explanations.size());
}

// --- Contrastivity (Pope et al. 2019) -------------------------------------------------------

namespace {

// Pope et al.'s binarisation: score / max(score) > threshold; nothing marked without a positive
// score.
torch::Tensor binarise(const torch::Tensor& node_mask, double threshold) {
  const auto m = node_mask.to(torch::kDouble);
  const double top = m.numel() > 0 ? m.max().item<double>() : 0.0;
  if (!(top > 0)) return torch::zeros(m.sizes(), torch::kBool);
  return (m / top) > threshold;
}

}  // namespace

int64_t count_flat_edge_masks(const std::vector<Explanation>& explanations) {
  int64_t flat = 0;
  for (const auto& e : explanations) {
    if (!e.edge_mask.defined() || e.edge_mask.numel() < 2) continue;
    if (e.edge_mask.min().item<double>() == e.edge_mask.max().item<double>()) ++flat;
  }
  return flat;
}

double contrastivity(const std::vector<Explanation>& class_a,
                     const std::vector<Explanation>& class_b, double threshold) {
  if (class_a.size() != class_b.size()) {
    throw InputError("contrastivity: " + std::to_string(class_a.size()) + " and " +
                     std::to_string(class_b.size()) + " explanations (one pair per target)");
  }
  double sum = 0;
  int64_t counted = 0;
  for (size_t i = 0; i < class_a.size(); ++i) {
    const Explanation& a = class_a[i];
    const Explanation& b = class_b[i];
    if (!a.node_mask.defined() || !b.node_mask.defined()) {
      throw InputError("contrastivity: explanation " + std::to_string(i) + " has no node mask");
    }
    if (a.target != b.target || a.node_mask.numel() != b.node_mask.numel() ||
        (a.node_ids.defined() && b.node_ids.defined() && !torch::equal(a.node_ids, b.node_ids))) {
      throw InputError("contrastivity: pair " + std::to_string(i) +
                       " explains different targets or node sets (targets " +
                       std::to_string(a.target) + " and " + std::to_string(b.target) + ")");
    }
    const auto ma = binarise(a.node_mask, threshold);
    const auto mb = binarise(b.node_mask, threshold);
    const int64_t either = ma.logical_or(mb).sum().item<int64_t>();
    if (either == 0) continue;
    const int64_t hamming = ma.logical_xor(mb).sum().item<int64_t>();
    sum += double(hamming) / double(either);
    ++counted;
  }
  return counted == 0 ? std::numeric_limits<double>::quiet_NaN() : sum / double(counted);
}

}  // namespace gnnx::explainers
