// Shapley value sampling: with every permutation enumerated, the exact Shapley values computed
// here by brute force over all coalitions (dense float64 reference of gradient_reference.h);
// efficiency for each sample; seeded and independent of the batching.

#include <gnnx/explainers/attribution_methods.h>

#include "explainers/gradient_reference.h"

namespace gnnx::explainers::gradient_test {
namespace {

// φ_i = Σ_{S ⊆ P∖{i}} |S|! (n − |S| − 1)! / n! · (v(S ∪ {i}) − v(S)) over n players, with
// v(mask [n] of 0/1) given.
torch::Tensor brute_force_shapley(int64_t n, const std::function<double(const torch::Tensor&)>& v) {
  std::vector<double> fact(n + 1, 1.0);
  for (int64_t k = 1; k <= n; ++k) fact[k] = fact[k - 1] * static_cast<double>(k);
  std::vector<double> value(int64_t{1} << n);
  for (int64_t s = 0; s < (int64_t{1} << n); ++s) {
    auto mask = torch::zeros({n}, torch::kDouble);
    for (int64_t i = 0; i < n; ++i) mask[i] = static_cast<double>((s >> i) & 1);
    value[s] = v(mask);
  }
  auto phi = torch::zeros({n}, torch::kDouble);
  for (int64_t i = 0; i < n; ++i) {
    double sum = 0;
    for (int64_t s = 0; s < (int64_t{1} << n); ++s) {
      if ((s >> i) & 1) continue;
      const int64_t size = __builtin_popcountll(static_cast<uint64_t>(s));
      sum += fact[size] * fact[n - size - 1] / fact[n] * (value[s | (int64_t{1} << i)] - value[s]);
    }
    phi[i] = sum;
  }
  return phi;
}

// The exact Shapley values of both games of one explanation: nodes absent = features 0, edges
// absent = mask 0.
std::pair<torch::Tensor, torch::Tensor> exact_shapley(const Explanation& e, const DenseRef& ref) {
  const int64_t t = local_target(e);
  const int64_t c = e.explained_class;
  const auto nodes = brute_force_shapley(ref.num_nodes(), [&](const torch::Tensor& present) {
    return ref.logit(ref.x() * present.unsqueeze(1), ref.ones(), t, c);
  });
  const auto edges = brute_force_shapley(ref.num_edges(), [&](const torch::Tensor& present) {
    return ref.logit(ref.x(), present, t, c);
  });
  return {nodes, edges};
}

TEST_F(GradientMethodsTest, ShapleyWithEveryPermutationIsExact) {
  check_against_reference(
      [](const TargetOptions& t) {
        return std::make_unique<ShapleySampling>(ShapleySamplingOptions().exhaustive(true), t);
      },
      exact_shapley, 1e-5, /*node_task=*/true, /*graph_task=*/false);
  // Graph task on graphs of at most 6 edges (6! permutations).
  auto model = graph_model();
  const std::vector<Graph> graphs = {small_path_graph(),
                                     path_graph().with_labels(torch::tensor({1}, torch::kLong))};
  for (int64_t c = 0; c < 2; ++c) {
    const ShapleySampling shapley(ShapleySamplingOptions().exhaustive(true),
                                  TargetOptions().explained_class(c));
    for (const auto& e : shapley.explain_graphs(*model, graphs)) {
      const DenseRef ref(*model, graphs[e.target], e.node_ids, e.edge_ids);
      const auto [node, edge] = exact_shapley(e, ref);
      const std::string what = "graph " + std::to_string(e.target) + " class " + std::to_string(c);
      expect_close(e.node_mask, node, 1e-5, what + " node mask");
      expect_close(e.edge_mask, edge, 1e-5, what + " edge mask");
    }
  }
}

// Efficiency: each permutation's contributions add up to v(all) − v(none), so a single sample's
// do, for every seed.
TEST_F(GradientMethodsTest, ShapleyEachSampleAddsUpToTheLogitDifference) {
  auto node = node_model();
  auto graph = graph_model();
  const Graph g = path_graph();
  const auto graphs = graph_set();
  for (uint64_t seed : {0, 1, 7}) {
    const ShapleySampling shapley(ShapleySamplingOptions().samples(1).seed(seed),
                                  TargetOptions().explained_class(1));
    const auto check = [&](const Explanation& e, const DenseRef& ref) {
      const int64_t t = local_target(e);
      const double f = ref.logit(ref.x(), ref.ones(), t, 1);
      const std::string what =
          "seed " + std::to_string(seed) + " target " + std::to_string(e.target);
      EXPECT_NEAR(e.node_mask.sum().item<double>(),
                  f - ref.logit(torch::zeros_like(ref.x()), ref.ones(), t, 1), 1e-5)
          << what;
      EXPECT_NEAR(e.edge_mask.sum().item<double>(),
                  f - ref.logit(ref.x(), torch::zeros_like(ref.ones()), t, 1), 1e-5)
          << what;
    };
    for (const auto& e : shapley.explain_nodes(*node, g, node_targets())) {
      check(e, DenseRef(*node, g, e.node_ids, e.edge_ids));
    }
    for (const auto& e : shapley.explain_graphs(*graph, graphs)) {
      check(e, DenseRef(*graph, graphs[e.target], e.node_ids, e.edge_ids));
    }
  }
}

TEST_F(GradientMethodsTest, ShapleyIsSeededAndIndependentOfTheBatching) {
  auto model = graph_model();
  const auto graphs = graph_set();
  const auto run = [&](uint64_t seed, int64_t batch_size) {
    return ShapleySampling(ShapleySamplingOptions().samples(3).seed(seed),
                           TargetOptions().batch_size(batch_size))
        .explain_graphs(*model, graphs);
  };
  const auto a = run(5, 0);
  const auto b = run(5, 0);
  const auto one_by_one = run(5, 1);
  const auto other = run(6, 0);
  bool seed_matters = false;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(torch::equal(a[i].node_mask, b[i].node_mask));
    EXPECT_TRUE(torch::equal(a[i].edge_mask, b[i].edge_mask));
    expect_close(one_by_one[i].node_mask, a[i].node_mask, 1e-6, "batched node mask");
    expect_close(one_by_one[i].edge_mask, a[i].edge_mask, 1e-6, "batched edge mask");
    seed_matters = seed_matters || !torch::equal(a[i].edge_mask, other[i].edge_mask);
  }
  EXPECT_TRUE(seed_matters);
  EXPECT_THROW(ShapleySampling(ShapleySamplingOptions().samples(0)), InputError);
}

}  // namespace
}  // namespace gnnx::explainers::gradient_test
