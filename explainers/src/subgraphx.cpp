#include <gnnx/explainers/random_explainer.h>
#include <gnnx/explainers/subgraphx.h>
#include <gnnx/explainers/target_batch.h>
#include <gnnx/gnn/error.h>

#include <c10/util/StringUtil.h>
#include <torch/types.h>

#include <limits>
#include <random>
#include <tuple>

#include "coalition_values.h"
#include "subgraph_search.h"

namespace gnnx::explainers {
namespace {

// The graded scores of one target's nodes and edges (subgraphx.h): first record holding each,
// lifted by 1 inside the chosen subgraph.
struct Grades {
  torch::Tensor node;  // [n] float
  torch::Tensor edge;  // [m] float
};

Grades grade(const detail::SubgraphSearch& search, int64_t chosen, const TargetBatch& batch,
             int64_t part) {
  const int64_t n0 = batch.node_offset[part].item<int64_t>();
  const int64_t n1 = batch.node_offset[part + 1].item<int64_t>();
  const int64_t e0 = batch.edge_offset[part].item<int64_t>();
  const int64_t e1 = batch.edge_offset[part + 1].item<int64_t>();
  const int64_t n = n1 - n0;
  constexpr int64_t kNone = std::numeric_limits<int64_t>::max();
  std::vector<int64_t> first(n, kNone);  // first record holding each node
  const std::vector<int64_t> records = search.records();
  for (size_t r = records.size(); r-- > 0;) {
    for (int64_t v : search.states()[records[r]].nodes) first[v] = static_cast<int64_t>(r);
  }
  std::vector<char> in_chosen(n, 0);
  for (int64_t v : search.states()[chosen].nodes) in_chosen[v] = 1;
  const auto score = [](int64_t record, bool chosen_one) -> float {
    if (chosen_one) return 1.0f + 1.0f / static_cast<float>(1 + record);
    return record == kNone ? 0.0f : 1.0f / static_cast<float>(2 + record);
  };
  Grades out;
  out.node = torch::empty({n}, torch::kFloat);
  float* node = out.node.data_ptr<float>();
  for (int64_t v = 0; v < n; ++v) node[v] = score(first[v], in_chosen[v]);
  // An edge is held by a record holding both its ends; records are not nested, so look from
  // the later of its ends' first records on.
  std::vector<std::vector<char>> held;
  for (int64_t s : records) {
    std::vector<char> member(n, 0);
    for (int64_t w : search.states()[s].nodes) member[w] = 1;
    held.push_back(std::move(member));
  }
  const auto edges = batch.graph.edge_index().slice(1, e0, e1).contiguous();
  const int64_t* src = edges[0].data_ptr<int64_t>();
  const int64_t* dst = edges[1].data_ptr<int64_t>();
  out.edge = torch::empty({e1 - e0}, torch::kFloat);
  float* edge = out.edge.data_ptr<float>();
  for (int64_t e = 0; e < e1 - e0; ++e) {
    const int64_t u = src[e] - n0, v = dst[e] - n0;
    int64_t record = kNone;
    if (first[u] != kNone && first[v] != kNone) {
      for (auto r = static_cast<size_t>(std::max(first[u], first[v])); r < held.size(); ++r) {
        if (held[r][u] && held[r][v]) {
          record = static_cast<int64_t>(r);
          break;
        }
      }
    }
    edge[e] = score(record, in_chosen[u] && in_chosen[v]);
  }
  return out;
}

}  // namespace

SubgraphXOptions SubgraphXOptions::from(const MethodOptions& o) {
  SubgraphXOptions out;
  if (o.rollouts) out.rollouts(*o.rollouts);
  if (o.c_puct) out.c_puct(*o.c_puct);
  if (o.min_atoms) out.min_atoms(*o.min_atoms);
  if (o.expand_atoms) out.expand_atoms(*o.expand_atoms);
  if (o.max_nodes) out.max_nodes(*o.max_nodes);
  if (o.samples) out.samples(*o.samples);
  if (o.shapley_hops) out.shapley_hops(*o.shapley_hops);
  if (o.subgraph_building) out.building(*o.subgraph_building);
  return out.seed(o.seed);
}

SubgraphX::SubgraphX(SubgraphXOptions options, TargetOptions target)
    : Explainer(std::move(target)), options_(options) {
  const auto& o = options_;
  if (o.rollouts() < 1 || !(o.c_puct() >= 0) || o.min_atoms() < 1 || o.expand_atoms() < 1 ||
      o.max_nodes() < 1 || o.samples() < 1 || o.shapley_hops() < -1) {
    throw InputError(
        "subgraphx: rollouts, min-atoms, expand-atoms, max-nodes and samples must be >= 1, "
        "c-puct >= 0 and shapley-hops >= 0 or -1 (got rollouts " +
        std::to_string(o.rollouts()) + ", c-puct " + c10::str(o.c_puct()) + ", min-atoms " +
        std::to_string(o.min_atoms()) + ", expand-atoms " + std::to_string(o.expand_atoms()) +
        ", max-nodes " + std::to_string(o.max_nodes()) + ", samples " +
        std::to_string(o.samples()) + ", shapley-hops " + std::to_string(o.shapley_hops()) + ")");
  }
}

std::vector<Explanation> SubgraphX::explain_chunk(const ExplainCall& call,
                                                  const std::vector<int64_t>& targets,
                                                  const std::vector<int64_t>& classes,
                                                  const ChunkProgress& progress) const {
  // Each target searches alone with its own generator: any grouping gives the same results.
  return explain_in_thread_groups(call, targets, classes, progress);
}

std::vector<Explanation> SubgraphX::explain_batch(const ExplainCall& call, const TargetBatch& batch,
                                                  const std::vector<int64_t>& labels,
                                                  const ChunkProgress& progress) const {
  gnn::GnnModel& model = *call.model;
  const int64_t parts = batch.num_parts();
  if (parts == 0) return {};
  const TargetPrediction prediction = predict_targets(model, batch, labels);
  const int64_t hops = options_.shapley_hops() >= 0
                           ? options_.shapley_hops()
                           : static_cast<int64_t>(model.describe().layers.size());
  std::vector<torch::Tensor> node_scores, edge_scores;
  std::vector<ChosenSubgraph> chosen_subgraphs;
  for (int64_t t = 0; t < parts; ++t) {
    const auto neighbours = detail::part_neighbours(batch, t);
    detail::CoalitionScorer scorer(model, batch, t, prediction.classes[t], options_.building());
    std::mt19937_64 rng(target_seed(options_.seed(), batch.targets[t]));
    const int64_t samples = options_.samples();
    // All subgraphs of one call (an expansion's children) in one batched evaluation: for each,
    // `samples` rows without it, then `samples` rows with it.
    const detail::RewardFunction reward = [&](const std::vector<detail::Coalition>& subgraphs) {
      std::vector<torch::Tensor> masks;
      for (const auto& nodes : subgraphs) {
        auto drawn = detail::sample_l_shapley_masks(neighbours, nodes, hops, samples, rng);
        masks.push_back(drawn.exclude);
        masks.push_back(drawn.include);
      }
      const torch::Tensor values =
          scorer.values(torch::cat(masks)).reshape({-1, 2, samples}).contiguous();
      const torch::Tensor shapley = (values.select(1, 1) - values.select(1, 0)).mean(1);
      const double* data = shapley.data_ptr<double>();
      return std::vector<double>(data, data + shapley.size(0));
    };
    detail::SearchOptions search_options;
    search_options.rollouts = options_.rollouts();
    search_options.c_puct = options_.c_puct();
    search_options.min_atoms = options_.min_atoms();
    search_options.expand_atoms = options_.expand_atoms();
    search_options.high2low = options_.high2low();
    if (batch.task == gnn::Task::kNodeClassification) {
      search_options.keep_node =
          batch.target_pos[t].item<int64_t>() - batch.node_offset[t].item<int64_t>();
    }
    detail::SubgraphSearch search(neighbours, search_options, reward);
    search.run();
    const int64_t chosen = search.select(options_.max_nodes());
    ChosenSubgraph result;
    result.shapley = search.ensure_scored(chosen);
    const auto local = torch::tensor(search.states()[chosen].nodes, torch::kLong);
    const int64_t n0 = batch.node_offset[t].item<int64_t>();
    result.nodes = std::get<0>(batch.node_id.slice(0, n0, batch.node_offset[t + 1].item<int64_t>())
                                   .index_select(0, local)
                                   .sort());
    int64_t explored = 0;
    for (const auto& s : search.states()) explored += s.scored ? 1 : 0;
    result.explored = explored;
    result.evaluated = scorer.rows_evaluated();
    const Grades grades = grade(search, chosen, batch, t);
    node_scores.push_back(grades.node);
    edge_scores.push_back(grades.edge);
    chosen_subgraphs.push_back(std::move(result));
    progress(t + 1, parts);
  }
  auto out = split_explanations(batch, name(), prediction.logits, prediction.classes,
                                torch::cat(edge_scores), torch::cat(node_scores));
  const std::map<std::string, std::string> used = {
      {"rollouts", std::to_string(options_.rollouts())},
      {"c-puct", c10::str(options_.c_puct())},
      {"min-atoms", std::to_string(options_.min_atoms())},
      {"expand-atoms", std::to_string(options_.expand_atoms())},
      {"high2low", options_.high2low() ? "true" : "false"},
      {"max-nodes", std::to_string(options_.max_nodes())},
      {"samples", std::to_string(options_.samples())},
      {"shapley-hops", std::to_string(hops)},
      {"subgraph-building", to_string(options_.building())},
      {"seed", std::to_string(options_.seed())}};
  for (int64_t t = 0; t < parts; ++t) {
    out[t].subgraph = std::move(chosen_subgraphs[t]);
    out[t].options = used;
  }
  return out;
}

}  // namespace gnnx::explainers
