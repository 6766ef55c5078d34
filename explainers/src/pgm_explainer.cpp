#include <gnnx/explainers/pgm_explainer.h>
#include <gnnx/explainers/random_explainer.h>  // target_seed
#include <gnnx/gnn/error.h>
#include <gnnx/io/tensor_vector.h>

#include "pgm/chi_square.h"
#include "pgm/perturbed_samples.h"

#include <ATen/CPUGeneratorImpl.h>
#include <c10/util/StringUtil.h>
#include <torch/types.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>
#include <vector>

namespace gnnx::explainers {
namespace {

// Node scores: the picked nodes in [kPickedFloor, 1], the others in [0, kUnpickedCeiling], so
// that the explanation is exactly the nodes scoring above one half.
constexpr double kPickedFloor = 0.75;
constexpr double kUnpickedCeiling = 0.5;

// A node's score from its p-value: L / (1 + L), L = −log10 p. Orders as p does (smaller p,
// higher score) and stays apart in float for p down to the smallest double.
double p_score(double p) {
  if (!(p > 0)) return 1.0;
  const double l = -std::log10(std::min(1.0, p));
  return l / (1.0 + l);
}

// Positions 0..p.size()-1 ordered by ascending p, ties to the lower position.
std::vector<int64_t> by_p_value(const std::vector<double>& p) {
  std::vector<int64_t> order(p.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return p[a] < p[b]; });
  return order;
}

// Column j of an [S, n] int64 tensor as a vector.
std::vector<int64_t> column(const torch::Tensor& codes, int64_t j) {
  return io::to_vector<int64_t>(codes.select(1, j).contiguous());
}

// An edge scores the smaller of its endpoints' scores.
torch::Tensor edge_scores_from_nodes(const gnn::Graph& graph, const torch::Tensor& node_score) {
  const auto ei = graph.edge_index();
  return torch::minimum(node_score.index_select(0, ei[0]), node_score.index_select(0, ei[1]));
}

// One target's answer: a score per node of its part, and the positions picked.
struct TargetResult {
  torch::Tensor node_score;  // [n] float
  std::vector<int64_t> selected;
};

// The draws shared by both tasks: which eligible nodes each sample perturbs.
torch::Tensor draw_chosen(int64_t samples, const torch::Tensor& eligible, double fraction,
                          at::Generator gen) {
  const int64_t n = eligible.size(0);
  return (at::rand({samples, n}, gen) < fraction).logical_and(eligible.unsqueeze(0));
}

TargetResult explain_node_target(const PGMExplainerOptions& o, gnn::GnnModel& model,
                                 const TargetBatch& one, int64_t explained_class,
                                 const detail::FeatureColumns& columns, at::Generator gen) {
  const int64_t n = one.graph.num_nodes();
  const int64_t target = one.target_pos[0].item<int64_t>();
  const int64_t s = o.samples();
  const auto x = one.graph.x();
  const auto original = detail::copy_probabilities(model, one, x, 1)[0];  // [n, C]
  // Each node is judged on its own predicted class; the target on the explained one.
  auto cls = original.argmax(1);
  cls[target] = explained_class;
  const auto chosen = draw_chosen(s, torch::ones({n}, torch::kBool), o.perturb_fraction(), gen);
  const auto xs = detail::perturbed_copies(x, chosen, o.perturbation(), columns, gen);
  const auto probs = detail::copy_probabilities(model, one, xs, s);  // [S, n, C]
  const auto idx = cls.view({1, n, 1}).expand({s, n, 1});
  const auto perturbed = probs.gather(2, idx).squeeze(2);  // [S, n]
  const auto before = original.gather(1, cls.view({n, 1})).view({1, n});
  const auto changed = (perturbed + o.pred_threshold()) < before;
  // The authors' four-level variable per node and sample: 10 · perturbed + changed + 1.
  const auto codes = chosen.to(torch::kLong) * 10 + changed.to(torch::kLong) + 1;
  const auto target_codes = column(codes, target);
  std::vector<double> p(n, 1.0);
  for (int64_t v = 0; v < n; ++v) {
    p[v] = v == target ? 0.0 : detail::chi_square_test(column(codes, v), target_codes).p_value;
  }
  TargetResult out;
  if (o.top_nodes() == 0) {
    for (int64_t v = 0; v < n; ++v) {
      if (p[v] < o.p_threshold()) out.selected.push_back(v);
    }
  } else {
    auto order = by_p_value(p);
    order.resize(std::min<size_t>(order.size(), static_cast<size_t>(o.top_nodes())));
    out.selected = order;
  }
  std::vector<bool> picked(n, false);
  for (int64_t v : out.selected) picked[v] = true;
  std::vector<float> score(n);
  for (int64_t v = 0; v < n; ++v) {
    score[v] = static_cast<float>(picked[v] ? kPickedFloor + (1 - kPickedFloor) * p_score(p[v])
                                            : kUnpickedCeiling * p_score(p[v]));
  }
  out.node_score = torch::tensor(score, torch::kFloat);
  return out;
}

// One round of the graph task: p-values of each node's perturbation indicator against "the
// explained class's probability dropped among the most" (the top samples / 8 drops).
std::vector<double> graph_round(const PGMExplainerOptions& o, gnn::GnnModel& model,
                                const TargetBatch& one, double before, int64_t explained_class,
                                int64_t samples, const torch::Tensor& eligible,
                                const detail::FeatureColumns& columns, at::Generator gen) {
  const int64_t n = one.graph.num_nodes();
  const auto chosen = draw_chosen(samples, eligible, o.perturb_fraction(), gen);
  const auto xs = detail::perturbed_copies(one.graph.x(), chosen, o.perturbation(), columns, gen);
  const auto probs = detail::copy_probabilities(model, one, xs, samples);  // [S, C]
  const auto drop = io::to_vector<double>((before - probs.select(1, explained_class)).contiguous());
  // The largest drops, ties to the later sample (numpy argsort's last entries).
  std::vector<int64_t> order(samples);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return drop[a] < drop[b]; });
  std::vector<int64_t> label(samples, 0);
  // The authors' samples / 8, at least one (theirs labels none below 8 samples: no evidence).
  const int64_t top = std::max<int64_t>(1, samples / 8);
  for (int64_t k = samples - top; k < samples; ++k) label[order[k]] = 1;
  const auto indicator = chosen.to(torch::kLong);
  std::vector<double> p(n, 1.0);
  for (int64_t v = 0; v < n; ++v)
    p[v] = detail::chi_square_test(column(indicator, v), label).p_value;
  return p;
}

TargetResult explain_graph_target(const PGMExplainerOptions& o, gnn::GnnModel& model,
                                  const TargetBatch& one, int64_t explained_class,
                                  const detail::FeatureColumns& columns, at::Generator gen) {
  const int64_t n = one.graph.num_nodes();
  const double before =
      detail::copy_probabilities(model, one, one.graph.x(), 1)[0][explained_class].item<double>();
  const int64_t top_nodes = o.top_nodes();  // for_task: >= 1 on graph tasks
  const auto round1 =
      graph_round(o, model, one, before, explained_class, std::max<int64_t>(1, o.samples() / 2),
                  torch::ones({n}, torch::kBool), columns, gen);
  auto candidates = by_p_value(round1);
  candidates.resize(std::min<size_t>(candidates.size(), static_cast<size_t>(4 * top_nodes)));
  auto eligible = torch::zeros({n}, torch::kBool);
  for (int64_t v : candidates) eligible[v] = true;
  const auto round2 =
      graph_round(o, model, one, before, explained_class, o.samples(), eligible, columns, gen);
  TargetResult out;
  auto order = by_p_value(round2);
  order.resize(std::min<size_t>(order.size(), static_cast<size_t>(std::min(top_nodes, n - 1))));
  out.selected = order;
  const auto is_candidate = io::to_vector<int64_t>(eligible.to(torch::kLong));
  std::vector<bool> picked(n, false);
  for (int64_t v : out.selected) picked[v] = true;
  // Three tiers, as the rounds rank: picked, the other candidates (by round 2), the rest (by
  // round 1).
  std::vector<float> score(n);
  for (int64_t v = 0; v < n; ++v) {
    const double s = picked[v]         ? kPickedFloor + (1 - kPickedFloor) * p_score(round2[v])
                     : is_candidate[v] ? kUnpickedCeiling * (0.5 + 0.5 * p_score(round2[v]))
                                       : kUnpickedCeiling * 0.5 * p_score(round1[v]);
    score[v] = static_cast<float>(s);
  }
  out.node_score = torch::tensor(score, torch::kFloat);
  return out;
}

}  // namespace

PGMExplainerOptions PGMExplainerOptions::from(const MethodOptions& options) {
  PGMExplainerOptions o;
  o.seed(options.seed);
  if (options.samples) o.samples(*options.samples);
  if (options.perturbation) o.perturbation(*options.perturbation);
  if (options.perturb_fraction) o.perturb_fraction(*options.perturb_fraction);
  if (options.p_threshold) o.p_threshold(*options.p_threshold);
  if (options.pred_threshold) o.pred_threshold(*options.pred_threshold);
  if (options.top_nodes) o.top_nodes(*options.top_nodes);
  return o;
}

PGMExplainerOptions PGMExplainerOptions::for_task(gnn::Task task) const {
  const bool graph = task == gnn::Task::kGraphClassification;
  PGMExplainerOptions o = *this;
  if (o.samples() == 0) o.samples(graph ? 1000 : 100);
  if (o.perturb_fraction() == 0) o.perturb_fraction(graph ? 0.1 : 0.5);
  if (graph && o.top_nodes() == 0) o.top_nodes(4);
  return o;
}

PGMExplainer::PGMExplainer(PGMExplainerOptions options, TargetOptions target)
    : Explainer(std::move(target)), options_(options) {
  const auto& o = options_;
  if (o.samples() < 0) {
    throw InputError(
        c10::str("pgm-explainer: samples must be >= 1 (0: the task's default), got ", o.samples()));
  }
  if (!(o.perturb_fraction() >= 0 && o.perturb_fraction() <= 1)) {
    throw InputError(
        c10::str("pgm-explainer: perturb-fraction must be in (0, 1] (0: the task's default), got ",
                 o.perturb_fraction()));
  }
  if (!(o.p_threshold() > 0 && o.p_threshold() <= 1)) {
    throw InputError(
        c10::str("pgm-explainer: p-threshold must be in (0, 1], got ", o.p_threshold()));
  }
  if (!(o.pred_threshold() >= 0 && o.pred_threshold() <= 1)) {
    throw InputError(
        c10::str("pgm-explainer: pred-threshold must be in [0, 1], got ", o.pred_threshold()));
  }
  if (o.top_nodes() < 0) {
    throw InputError(c10::str("pgm-explainer: top-nodes must be >= 0, got ", o.top_nodes()));
  }
}

std::vector<Explanation> PGMExplainer::explain_chunk(const ExplainCall& call,
                                                     const std::vector<int64_t>& targets,
                                                     const std::vector<int64_t>& classes,
                                                     const ChunkProgress& progress) const {
  // Each target is sampled and tested on its own: the worker threads take groups of targets.
  return explain_in_thread_groups(call, targets, classes, progress);
}

std::vector<Explanation> PGMExplainer::explain_batch(const ExplainCall& call,
                                                     const TargetBatch& batch,
                                                     const std::vector<int64_t>& classes,
                                                     const ChunkProgress& progress) const {
  const TargetPrediction prediction = predict_targets(*call.model, batch, classes);
  const bool node_task = batch.task == gnn::Task::kNodeClassification;
  const PGMExplainerOptions task_options = options_.for_task(batch.task);
  // Node task: the full graph's columns (the authors perturb within the whole feature matrix).
  const detail::FeatureColumns graph_columns =
      node_task ? detail::feature_columns(call.graph->x()) : detail::FeatureColumns{};
  const int64_t parts = batch.num_parts();
  std::vector<torch::Tensor> node_scores, edge_scores;
  std::vector<double> picked(parts);
  for (int64_t t = 0; t < parts; ++t) {
    const int64_t target = batch.targets[t];
    const TargetBatch one = call.make_batch({target});
    TORCH_INTERNAL_ASSERT(
        one.graph.num_nodes() == (batch.node_offset[t + 1] - batch.node_offset[t]).item<int64_t>(),
        "pgm-explainer: target ", target, "'s part differs from its own batch");
    auto gen = at::detail::createCPUGenerator(target_seed(options_.seed(), target));
    const TargetResult r =
        node_task ? explain_node_target(task_options, *call.model, one, prediction.classes[t],
                                        graph_columns, gen)
                  : explain_graph_target(task_options, *call.model, one, prediction.classes[t],
                                         detail::feature_columns(one.graph.x()), gen);
    node_scores.push_back(r.node_score);
    edge_scores.push_back(edge_scores_from_nodes(one.graph, r.node_score));
    picked[t] = static_cast<double>(r.selected.size());
    progress(t + 1, parts);
  }
  auto cat = [](const std::vector<torch::Tensor>& v) {
    return v.empty() ? torch::zeros({0}) : torch::cat(v);
  };
  auto out = split_explanations(batch, name(), prediction.logits, prediction.classes,
                                cat(edge_scores), cat(node_scores));
  const auto& o = task_options;
  const std::map<std::string, std::string> used = {
      {"samples", std::to_string(o.samples())},
      {"perturbation", to_string(o.perturbation())},
      {"perturb_fraction", c10::str(o.perturb_fraction())},
      {"p_threshold", c10::str(o.p_threshold())},
      {"pred_threshold", c10::str(o.pred_threshold())},
      {"top_nodes", std::to_string(o.top_nodes())},
      {"seed", std::to_string(o.seed())}};
  for (int64_t t = 0; t < parts; ++t) {
    out[t].diagnostics["selected_nodes"] = picked[t];
    out[t].options = used;
  }
  return out;
}

}  // namespace gnnx::explainers
