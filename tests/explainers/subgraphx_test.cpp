// SubgraphX (Yuan et al., ICML 2021): the tree search's expansions on a path solved by hand, its
// choice against DIG's find_closest_node_result, the coalition sampler's distribution, the Monte
// Carlo Shapley value against the exact one enumerated, the batched values against the model's
// own forward pass, a toy model whose evidence is one known subgraph, DIG's high2low pruning
// order on a hub solved by hand, and results that are connected and do not depend on the thread
// count.

#include <gnnx/datasets/synthetic.h>
#include <gnnx/explainers/subgraphx.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/threads.h>

#include "explainers/small_models.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <numeric>
#include <set>

#include "coalition_values.h"
#include "subgraph_search.h"
#include "support/builders.h"

using namespace gnnx;
using explainers::SubgraphX;
using explainers::SubgraphXOptions;
using explainers::TargetBatch;
using explainers::detail::Coalition;
using explainers::detail::SearchOptions;
using explainers::detail::SubgraphSearch;

namespace {

std::vector<std::vector<int64_t>> path(int64_t n) {
  std::vector<std::vector<int64_t>> out(n);
  for (int64_t v = 0; v + 1 < n; ++v) {
    out[v].push_back(v + 1);
    out[v + 1].push_back(v);
  }
  return out;
}

// An undirected gnn::Graph from an edge list (both directions).
gnn::Graph undirected(int64_t n, const std::vector<std::pair<int64_t, int64_t>>& edges,
                      torch::Tensor x) {
  std::vector<int64_t> src, dst;
  for (auto [u, v] : edges) {
    src.insert(src.end(), {u, v});
    dst.insert(dst.end(), {v, u});
  }
  return gnn::Graph(n, torch::stack({torch::tensor(src), torch::tensor(dst)}), std::move(x));
}

// The path 0-1-...-(n-1) as a gnn::Graph with 3 random features per node, and a small seeded
// graph classifier with 2 classes, for the coalition values.
struct PathCase {
  gnn::Graph graph;
  std::shared_ptr<gnn::GnnModel> model;
  TargetBatch batch;
};
PathCase path_case(int64_t n, uint64_t seed) {
  torch::manual_seed(seed);
  std::vector<std::pair<int64_t, int64_t>> edges;
  for (int64_t v = 0; v + 1 < n; ++v) edges.emplace_back(v, v + 1);
  PathCase out;
  out.graph = undirected(n, edges, torch::randn({n, 3}));
  out.model = gnnx::testing::small_model(gnn::Task::kGraphClassification, 3, 2, seed + 6);
  out.batch = explainers::make_graph_batch({out.graph}, {0});
  return out;
}

bool connected(const std::vector<std::vector<int64_t>>& neighbours, const Coalition& nodes) {
  std::set<int64_t> inside(nodes.begin(), nodes.end()), seen = {nodes.front()};
  std::vector<int64_t> stack = {nodes.front()};
  while (!stack.empty()) {
    const int64_t v = stack.back();
    stack.pop_back();
    for (int64_t u : neighbours[v]) {
      if (inside.count(u) && seen.insert(u).second) stack.push_back(u);
    }
  }
  return seen.size() == nodes.size();
}

}  // namespace

// The path 0-1-2-3-4-5-6 with min_atoms 5. The root's expansion prunes in the order 0, 6 (degree
// 1), then 1..5, keeping the largest part (the first, lowest, of equal ones): {1..6}, {0..5},
// {2..6}, {3..6}, {0,1,2}, {0..3}, {0..4}, all scored in one call. Every U is 0 before any
// visit, so the rollout enters the first child {1..6}, whose expansion (order 1, 6, 2, 3, 4, 5)
// meets {2..6} and {3..6} again (merged, not rescored) and scores {1..5}, {4,5,6}, {1,2,3},
// {1..4}; it then enters {2..6}, a leaf.
TEST(SubgraphSearchTest, ExpandsAPathAsSolvedByHand) {
  std::vector<std::vector<Coalition>> calls;
  SearchOptions options;
  options.rollouts = 1;
  SubgraphSearch search(path(7), options, [&](const std::vector<Coalition>& c) {
    calls.push_back(c);
    return std::vector<double>(c.size(), 1.0);
  });
  search.run();
  ASSERT_EQ(calls.size(), 2u);
  const std::vector<Coalition> root_children = {
      {1, 2, 3, 4, 5, 6}, {0, 1, 2, 3, 4, 5}, {2, 3, 4, 5, 6}, {3, 4, 5, 6},
      {0, 1, 2},          {0, 1, 2, 3},       {0, 1, 2, 3, 4}};
  EXPECT_EQ(calls[0], root_children);
  const std::vector<Coalition> second = {{1, 2, 3, 4, 5}, {4, 5, 6}, {1, 2, 3}, {1, 2, 3, 4}};
  EXPECT_EQ(calls[1], second);
  const auto& states = search.states();
  std::vector<Coalition> children;
  for (int64_t c : states[1].children) children.push_back(states[c].nodes);
  const std::vector<Coalition> expected = {{2, 3, 4, 5, 6}, {1, 2, 3, 4, 5}, {3, 4, 5, 6},
                                           {4, 5, 6},       {1, 2, 3},       {1, 2, 3, 4}};
  EXPECT_EQ(children, expected);
  // The path root -> {1..6} -> {2..6} was visited once; the leaf's reward went up the path.
  EXPECT_EQ(states[1].visits, 1);
  EXPECT_DOUBLE_EQ(states[1].total, 1.0);
  EXPECT_EQ(states[3].nodes, (Coalition{2, 3, 4, 5, 6}));
  EXPECT_EQ(states[3].visits, 1);
}

// A hub with three leaves and a tail: edges 0-1, 0-2, 0-3, 0-4, 4-5, 5-6, 6-7, 7-8 (degrees: 0 has
// 4; 4..7 have 2; 1, 2, 3, 8 have 1). With high2low the root prunes in the order 0, 4, 5, 6, 7,
// 1, 2, 3, 8 (degree descending, ties by id), keeping the largest part (the lowest of equal
// ones): {4..8}, {0..3}, {0..4}, {0..5}, {0..6}, then the root less 1, 2, 3 or 8. The first child
// {4..8} has min_atoms 5 nodes, a leaf: one rollout, one call. Without high2low the order is
// 1, 2, 3, 8, 4, 5, 6, 7, 0. Keeping node 8, cutting the hub leaves 8's arm {4..8} at once; with
// expand_atoms 3 only 0, 4, 5 are tried.
TEST(SubgraphSearchTest, High2LowPrunesTheHubsFirstAsSolvedByHand) {
  std::vector<std::vector<int64_t>> hub = {{1, 2, 3, 4}, {0},    {0},    {0}, {0, 5},
                                           {4, 6},       {5, 7}, {6, 8}, {7}};
  const auto first_call = [&](bool high2low, int64_t keep, int64_t expand_atoms) {
    std::vector<std::vector<Coalition>> calls;
    SearchOptions options;
    options.rollouts = 1;
    options.high2low = high2low;
    options.keep_node = keep;
    options.expand_atoms = expand_atoms;
    SubgraphSearch search(hub, options, [&](const std::vector<Coalition>& c) {
      calls.push_back(c);
      return std::vector<double>(c.size(), 1.0);
    });
    search.run();
    return calls;
  };
  const Coalition all_but_1 = {0, 2, 3, 4, 5, 6, 7, 8}, all_but_2 = {0, 1, 3, 4, 5, 6, 7, 8},
                  all_but_3 = {0, 1, 2, 4, 5, 6, 7, 8}, all_but_8 = {0, 1, 2, 3, 4, 5, 6, 7};
  const auto high = first_call(true, -1, 14);
  ASSERT_EQ(high.size(), 1u);
  const std::vector<Coalition> high_children = {
      {4, 5, 6, 7, 8}, {0, 1, 2, 3}, {0, 1, 2, 3, 4}, {0, 1, 2, 3, 4, 5}, {0, 1, 2, 3, 4, 5, 6},
      all_but_1,       all_but_2,    all_but_3,       all_but_8};
  EXPECT_EQ(high[0], high_children);
  const auto low = first_call(false, -1, 14);
  ASSERT_GE(low.size(), 1u);
  const std::vector<Coalition> low_children = {
      all_but_1,      all_but_2,       all_but_3,          all_but_8,
      {0, 1, 2, 3},   {0, 1, 2, 3, 4}, {0, 1, 2, 3, 4, 5}, {0, 1, 2, 3, 4, 5, 6},
      {4, 5, 6, 7, 8}};
  EXPECT_EQ(low[0], low_children);
  const auto kept = first_call(true, 8, 14);
  ASSERT_EQ(kept.size(), 1u);
  const std::vector<Coalition> kept_children = {
      {4, 5, 6, 7, 8}, {5, 6, 7, 8}, {6, 7, 8}, {7, 8}, {8}, all_but_1, all_but_2, all_but_3};
  EXPECT_EQ(kept[0], kept_children);
  const auto few = first_call(true, -1, 3);
  ASSERT_EQ(few.size(), 1u);
  const std::vector<Coalition> few_children = {{4, 5, 6, 7, 8}, {0, 1, 2, 3}, {0, 1, 2, 3, 4}};
  EXPECT_EQ(few[0], few_children);
}

// On a random graph with an arbitrary reward: every state is connected and holds the protected
// node, expansions pass at most expand_atoms subgraphs, and select(k) is DIG's
// find_closest_node_result over the states (sorted by reward descending, then stably by size;
// the first, replaced by each later one of at most k nodes with a strictly higher reward).
TEST(SubgraphSearchTest, ChoosesAsDigsRuleAndKeepsStatesConnected) {
  const auto g = gnnx::testing::random_graph(18, 50, 1, /*seed=*/2);
  std::vector<std::vector<int64_t>> neighbours(18);
  for (int64_t e = 0; e < g.num_edges(); ++e) {
    const int64_t u = g.edge_index()[0][e].item<int64_t>(),
                  v = g.edge_index()[1][e].item<int64_t>();
    if (u == v) continue;
    neighbours[u].push_back(v);
    neighbours[v].push_back(u);
  }
  for (auto& l : neighbours) {
    std::sort(l.begin(), l.end());
    l.erase(std::unique(l.begin(), l.end()), l.end());
  }
  for (int64_t keep : {int64_t{-1}, int64_t{4}}) {
    SCOPED_TRACE("keep " + std::to_string(keep));
    SearchOptions options;
    options.rollouts = 30;
    options.min_atoms = 3;
    options.expand_atoms = 6;
    options.keep_node = keep;
    SubgraphSearch search(neighbours, options, [](const std::vector<Coalition>& c) {
      EXPECT_LE(c.size(), 6u);
      std::vector<double> out;
      for (const auto& nodes : c) {
        double r = 0;
        for (int64_t v : nodes) r += std::sin(1.7 * static_cast<double>(v) + 0.3);
        out.push_back(r / std::sqrt(static_cast<double>(nodes.size())));
      }
      return out;
    });
    search.run();
    const auto& states = search.states();
    ASSERT_GT(states.size(), 10u);
    for (const auto& s : states) {
      if (s.nodes.size() < 18) {
        EXPECT_TRUE(connected(neighbours, s.nodes));
      }
      if (keep >= 0) {
        EXPECT_TRUE(std::binary_search(s.nodes.begin(), s.nodes.end(), keep));
      }
    }
    std::vector<int64_t> order(states.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t a, int64_t b) { return states[a].reward > states[b].reward; });
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
      return states[a].nodes.size() < states[b].nodes.size();
    });
    for (int64_t k = 1; k <= 18; ++k) {
      int64_t expected = order[0];
      for (int64_t s : order) {
        if (static_cast<int64_t>(states[s].nodes.size()) <= k &&
            states[s].reward > states[expected].reward) {
          expected = s;
        }
      }
      EXPECT_EQ(search.select(k), expected) << "max_nodes " << k;
    }
  }
}

// Path 0..7, coalition {3, 4}, 2 hops: region {1..6}, players {1, 2, 5, 6} and the coalition.
// Outside the region every node is present; the coalition is absent without it and present
// with it; the size of S is uniform on 0..4 and each player present half the time.
TEST(ShapleySamplingTest, DrawsDigsCoalitionDistribution) {
  const auto neighbours = path(8);
  EXPECT_EQ(explainers::detail::local_region(neighbours, {3, 4}, 2),
            (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  std::mt19937_64 rng(7);
  const int64_t samples = 40000;
  const auto masks =
      explainers::detail::sample_l_shapley_masks(neighbours, {3, 4}, 2, samples, rng);
  ASSERT_EQ(masks.exclude.sizes().vec(), (std::vector<int64_t>{samples, 8}));
  for (int64_t v : {0, 7}) {
    EXPECT_TRUE(masks.exclude.select(1, v).eq(1).all().item<bool>());
    EXPECT_TRUE(masks.include.select(1, v).eq(1).all().item<bool>());
  }
  for (int64_t v : {3, 4}) {
    EXPECT_TRUE(masks.exclude.select(1, v).eq(0).all().item<bool>());
    EXPECT_TRUE(masks.include.select(1, v).eq(1).all().item<bool>());
  }
  const auto players = torch::tensor({1, 2, 5, 6}, torch::kLong);
  EXPECT_TRUE(
      torch::equal(masks.exclude.index_select(1, players), masks.include.index_select(1, players)));
  const auto sizes = masks.exclude.index_select(1, players).sum(1).to(torch::kLong);
  const auto counts = torch::bincount(sizes, {}, 5).to(torch::kDouble) / samples;
  // Binomial standard error of 0.2 over 40000 draws: 0.002.
  EXPECT_TRUE(torch::allclose(counts, torch::full({5}, 0.2, torch::kDouble), 0, 0.01)) << counts;
  const auto present = masks.exclude.index_select(1, players).mean(0).to(torch::kDouble);
  EXPECT_TRUE(torch::allclose(present, torch::full({4}, 0.5, torch::kDouble), 0, 0.01)) << present;
}

// A random graph classifier on a 7-node path: the batched values equal the model's own forward
// pass on each zero-filled (and split) graph, and the Monte Carlo L-Shapley value of {2, 3}
// with 1 hop (players {1, 4}) converges to the exact one, enumerated:
// φ = Σ_S |S|! (2 − |S|)! / 3! · (v(S ∪ {2, 3}) − v(S)).
TEST(ShapleySamplingTest, MonteCarloValueConvergesToTheExactOne) {
  const auto [g, model, batch] = path_case(7, 5);
  using explainers::SubgraphBuilding;
  const auto masks = torch::randint(0, 2, {9, 7}).to(torch::kFloat);
  for (auto building : {SubgraphBuilding::kZeroFilling, SubgraphBuilding::kSplit}) {
    explainers::detail::CoalitionScorer scorer(*model, batch, 0, 1, building,
                                               /*max_union_nodes=*/20);  // 2 masks a pass
    const auto values = scorer.values(masks);
    const gnn::GcnAdjacency adj(g);
    for (int64_t r = 0; r < 9; ++r) {
      torch::NoGradGuard no_grad;
      const auto m = masks[r];
      const bool zero = building == SubgraphBuilding::kZeroFilling;
      const auto weight =
          zero ? torch::Tensor() : m.index_select(0, adj.src()) * m.index_select(0, adj.dst());
      const auto logits = model->logits(zero ? g.x() * m.unsqueeze(1) : g.x(), adj, weight);
      EXPECT_NEAR(values[r].item<double>(), torch::softmax(logits[0], 0)[1].item<double>(), 1e-6);
    }
  }
  explainers::detail::CoalitionScorer scorer(*model, batch, 0, 1, SubgraphBuilding::kZeroFilling);
  const auto value = [&](const std::vector<int64_t>& present) {
    auto m = torch::ones({1, 7});
    for (int64_t v : {1, 2, 3, 4}) m[0][v] = 0;
    for (int64_t v : present) m[0][v] = 1;
    return scorer.values(m)[0].item<double>();
  };
  double exact = 0;
  const std::vector<std::pair<std::vector<int64_t>, double>> subsets = {
      {{}, 1.0 / 3}, {{1}, 1.0 / 6}, {{4}, 1.0 / 6}, {{1, 4}, 1.0 / 3}};
  for (const auto& [s, weight] : subsets) {
    std::vector<int64_t> with = s;
    with.insert(with.end(), {2, 3});
    exact += weight * (value(with) - value(s));
  }
  std::mt19937_64 rng(3);
  const int64_t samples = 20000;
  const auto drawn = explainers::detail::sample_l_shapley_masks(
      explainers::detail::part_neighbours(batch, 0), {2, 3}, 1, samples, rng);
  const auto marginal = scorer.values(drawn.include) - scorer.values(drawn.exclude);
  const double estimate = marginal.mean().item<double>();
  const double standard_error = marginal.std().item<double>() / std::sqrt(double(samples));
  std::printf("exact %.6f, estimate %.6f (standard error %.6f)\n", exact, estimate, standard_error);
  EXPECT_GT(std::abs(exact), 10 * standard_error);  // a value the test can tell from 0
  EXPECT_NEAR(estimate, exact, 4 * standard_error);
}

// The scorer remembers each mask's value: a mask asked for again (in the same call or a later
// one) is not evaluated again, and every value is the very number a pass of that mask alone
// gives, so remembering cannot change an explanation.
TEST(ShapleySamplingTest, ScorerEvaluatesEachMaskOnceWithTheSameValues) {
  const auto [g, model, batch] = path_case(8, 8);
  using explainers::SubgraphBuilding;
  // Six different masks: the bits of six different bytes (none, all, and four others).
  const auto bytes = torch::tensor({0, 255, 37, 90, 129, 200}, torch::kLong);
  const auto distinct =
      bytes.unsqueeze(1).bitwise_right_shift(torch::arange(8)).bitwise_and(1).to(torch::kFloat);
  // Rows 0..5, then 3, 0, 5, 3 again.
  const auto masks = torch::cat({distinct, distinct.index_select(0, torch::tensor({3, 0, 5, 3}))});
  for (auto building : {SubgraphBuilding::kZeroFilling, SubgraphBuilding::kSplit}) {
    explainers::detail::CoalitionScorer scorer(*model, batch, 0, 1, building,
                                               /*max_union_nodes=*/24);  // 3 masks a pass
    const auto values = scorer.values(masks);
    EXPECT_EQ(scorer.rows_requested(), 10);
    EXPECT_EQ(scorer.rows_evaluated(), 6);
    explainers::detail::CoalitionScorer alone(*model, batch, 0, 1, building);
    for (int64_t r = 0; r < 10; ++r) {
      const double expected = alone.values(masks.slice(0, r, r + 1))[0].item<double>();
      EXPECT_EQ(values[r].item<double>(), expected) << "row " << r;
    }
    const auto again = scorer.values(masks.flip(0));
    EXPECT_EQ(scorer.rows_evaluated(), 6);  // all remembered
    EXPECT_TRUE(torch::equal(again, values.flip(0)));
    EXPECT_THROW(scorer.values(torch::full({1, 8}, 0.5)), c10::Error);
  }
}

// Node targets: the batched values equal the full graph's forward pass with the part's nodes
// masked (the k-hop part keeps the full graph's normalisation).
TEST(ShapleySamplingTest, NodeTargetValuesMatchTheFullGraph) {
  const auto g = datasets::make_synthetic("ba-shapes", 0).graphs[0];
  auto model = gnnx::testing::small_model(gnn::Task::kNodeClassification, g.num_features(), 4, 3);
  const gnn::GcnAdjacency adj(g);
  const TargetBatch batch = explainers::make_node_batch(g, adj, {300, 20}, 3);
  torch::manual_seed(1);
  for (int64_t part : {0, 1}) {
    const int64_t n0 = batch.node_offset[part].item<int64_t>();
    const int64_t n1 = batch.node_offset[part + 1].item<int64_t>();
    const auto ids = batch.node_id.slice(0, n0, n1);
    explainers::detail::CoalitionScorer scorer(*model, batch, part, 2,
                                               explainers::SubgraphBuilding::kZeroFilling);
    const auto masks = torch::randint(0, 2, {4, n1 - n0}).to(torch::kFloat);
    const auto values = scorer.values(masks);
    for (int64_t r = 0; r < 4; ++r) {
      torch::NoGradGuard no_grad;
      auto full = torch::ones({g.num_nodes()});
      full.index_copy_(0, ids, masks[r]);
      const auto logits = model->logits(g.x() * full.unsqueeze(1), adj);
      const auto p = torch::softmax(logits[batch.targets[part]], 0)[2].item<double>();
      EXPECT_NEAR(values[r].item<double>(), p, 1e-6) << "part " << part << " mask " << r;
    }
  }
}

// A toy graph classifier whose class-1 evidence is the features of one connected 5-node motif
// (a house, nodes 10..14, joined to a 10-node tree by one edge): features 1 on the motif, 0
// elsewhere, one GCN layer with weight 1, mean readout and class-1 logit 20 · pooled. A
// subgraph's value grows with each motif node it keeps, so SubgraphX with max_nodes 5 must
// choose exactly the motif, and its edges must score above every other edge.
TEST(SubgraphXTest, FindsTheSubgraphAToyModelReads) {
  std::vector<std::pair<int64_t, int64_t>> edges = {
      {0, 1}, {0, 2},  {1, 3},   {1, 4},   {2, 5},   {2, 6},   {3, 7},   {4, 8},
      {5, 9}, {9, 10}, {10, 11}, {11, 12}, {12, 13}, {13, 10}, {11, 14}, {12, 14}};
  auto x = torch::zeros({15, 1});
  x.slice(0, 10, 15).fill_(1);
  const auto g = undirected(15, edges, x);
  gnn::ModelSpec spec;
  spec.task = gnn::Task::kGraphClassification;
  spec.in_features = 1;
  spec.num_classes = 2;
  spec.hidden = 1;
  spec.num_layers = 1;
  auto model = gnn::make_model(spec);
  {
    torch::NoGradGuard no_grad;
    auto params = model->named_parameters();
    params["conv0.weight"].fill_(1);
    params["conv0.bias"].zero_();
    params["head.weight"].copy_(torch::tensor({{0.f}, {20.f}}));
    params["head.bias"].copy_(torch::tensor({2.f, 0.f}));
  }
  model->eval();
  const auto e =
      SubgraphX(SubgraphXOptions().rollouts(40).samples(50)).explain_graphs(*model, {g})[0];
  EXPECT_EQ(e.method, "subgraphx");
  EXPECT_EQ(e.predicted_class, 1);
  ASSERT_TRUE(e.subgraph.has_value());
  EXPECT_TRUE(torch::equal(e.subgraph->nodes, torch::arange(10, 15, torch::kLong)))
      << e.subgraph->nodes;
  EXPECT_GT(e.subgraph->shapley, 0);
  EXPECT_GT(e.subgraph->explored, 5);
  EXPECT_GT(e.subgraph->evaluated, 0);
  EXPECT_LE(e.subgraph->evaluated, 2 * 50 * e.subgraph->explored);  // at most what was drawn
  for (int64_t k = 0; k < e.edge_ids.numel(); ++k) {
    const int64_t id = e.edge_ids[k].item<int64_t>();
    const bool motif =
        g.edge_index()[0][id].item<int64_t>() >= 10 && g.edge_index()[1][id].item<int64_t>() >= 10;
    EXPECT_EQ(e.edge_mask[k].item<float>() > 1.0f, motif) << "edge " << id;
  }
  for (int64_t k = 0; k < e.node_ids.numel(); ++k) {
    EXPECT_EQ(e.node_mask[k].item<float>() > 1.0f, e.node_ids[k].item<int64_t>() >= 10);
  }
}

// Node targets on Tree-Cycles (3-hop subgraphs of 10-30 nodes) with a random model: the chosen
// subgraph holds the target, is connected, has at most max_nodes nodes, and exactly its edges
// score above 1.
TEST(SubgraphXTest, NodeTargetsGetAConnectedSubgraphHoldingThem) {
  const auto g = datasets::make_synthetic("tree-cycles", 0).graphs[0];
  auto model = gnnx::testing::small_model(gnn::Task::kNodeClassification, g.num_features(), 2, 3);
  std::vector<std::vector<int64_t>> neighbours(g.num_nodes());
  for (int64_t e = 0; e < g.num_edges(); ++e) {
    neighbours[g.edge_index()[0][e].item<int64_t>()].push_back(
        g.edge_index()[1][e].item<int64_t>());
  }
  std::vector<explainers::Explanation> explanations;
  for (bool high2low : {false, true}) {
    const auto some =
        SubgraphX(SubgraphXOptions().rollouts(4).samples(10).max_nodes(6).high2low(high2low))
            .explain_nodes(*model, g, {511, 520, 600, 30});
    ASSERT_EQ(some.size(), 4u);
    EXPECT_EQ(some[0].options.at("high2low"), high2low ? "true" : "false");
    explanations.insert(explanations.end(), some.begin(), some.end());
  }
  for (const auto& e : explanations) {
    SCOPED_TRACE("target " + std::to_string(e.target) + ", high2low " + e.options.at("high2low"));
    ASSERT_TRUE(e.subgraph.has_value());
    const auto nodes = e.subgraph->nodes;
    std::vector<int64_t> chosen(nodes.data_ptr<int64_t>(),
                                nodes.data_ptr<int64_t>() + nodes.numel());
    EXPECT_LE(chosen.size(), 6u);
    EXPECT_TRUE(std::binary_search(chosen.begin(), chosen.end(), e.target));
    EXPECT_TRUE(connected(neighbours, chosen));
    for (int64_t k = 0; k < e.edge_ids.numel(); ++k) {
      const int64_t id = e.edge_ids[k].item<int64_t>();
      const bool inside =
          std::binary_search(chosen.begin(), chosen.end(), g.edge_index()[0][id].item<int64_t>()) &&
          std::binary_search(chosen.begin(), chosen.end(), g.edge_index()[1][id].item<int64_t>());
      EXPECT_EQ(e.edge_mask[k].item<float>() > 1.0f, inside);
    }
  }
}

// The same explanations with one worker thread and with three, and with every target alone.
TEST(SubgraphXTest, SameResultForAnyThreadCountAndBatch) {
  const auto g = datasets::make_synthetic("tree-cycles", 0).graphs[0];
  auto model = gnnx::testing::small_model(gnn::Task::kNodeClassification, g.num_features(), 2, 3);
  const std::vector<int64_t> targets = {511, 520, 600, 30, 700};
  auto options = SubgraphXOptions().rollouts(3).samples(8).seed(4);
  const int before = gnn::worker_threads();
  gnn::set_worker_threads(1);
  const auto one = SubgraphX(options).explain_nodes(*model, g, targets);
  gnn::set_worker_threads(3);
  const auto three = SubgraphX(options).explain_nodes(*model, g, targets);
  gnn::set_worker_threads(1);
  explainers::TargetOptions alone_options;
  alone_options.batch_size(1);
  const auto alone = SubgraphX(options, alone_options).explain_nodes(*model, g, targets);
  gnn::set_worker_threads(before);
  for (const auto* other : {&three, &alone}) {
    ASSERT_EQ(other->size(), one.size());
    for (size_t i = 0; i < one.size(); ++i) {
      EXPECT_TRUE(torch::equal((*other)[i].edge_mask, one[i].edge_mask)) << i;
      EXPECT_TRUE(torch::equal((*other)[i].subgraph->nodes, one[i].subgraph->nodes)) << i;
      EXPECT_EQ((*other)[i].subgraph->shapley, one[i].subgraph->shapley) << i;
    }
  }
}

TEST(SubgraphXTest, RejectsBadOptions) {
  EXPECT_THROW(SubgraphX(SubgraphXOptions().rollouts(0)), InputError);
  EXPECT_THROW(SubgraphX(SubgraphXOptions().samples(0)), InputError);
  EXPECT_THROW(SubgraphX(SubgraphXOptions().max_nodes(0)), InputError);
  EXPECT_THROW(SubgraphX(SubgraphXOptions().min_atoms(0)), InputError);
  EXPECT_THROW(SubgraphX(SubgraphXOptions().c_puct(-1)), InputError);
  EXPECT_THROW(SubgraphX(SubgraphXOptions().shapley_hops(-2)), InputError);
}
