// PGM-Explainer (Vu & Thai, NeurIPS 2020): the chi-square test against contingency tables
// solved by hand and the closed forms of the chi-square survival function, the batched samples
// against a plain forward pass, hand-built models whose output depends on one node's features
// only (node and graph task), edge scores from their endpoints, and results that do not depend
// on the thread count or the batch.

#include <gnnx/datasets/synthetic.h>
#include <gnnx/explainers/explainer.h>
#include <gnnx/explainers/pgm_explainer.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/threads.h>
#include <gnnx/io/tensor_vector.h>

#include "explainers/small_models.h"

#include <gtest/gtest.h>

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "pgm/chi_square.h"
#include "pgm/perturbed_samples.h"
#include "support/builders.h"

namespace gnnx::explainers {
namespace {

using detail::chi_square_survival;
using detail::chi_square_test;

// ---- the chi-square test ----

// Closed forms: one degree of freedom P(X > x) = erfc(sqrt(x / 2)); two, exp(-x / 2); four,
// exp(-x / 2) (1 + x / 2). And the textbook 5% critical values for 1, 2 and 5 degrees.
TEST(ChiSquareTest, SurvivalFunctionMatchesClosedFormsAndTables) {
  for (double x : {0.01, 0.5, 1.0, 3.0, 10.0, 40.0}) {
    EXPECT_NEAR(chi_square_survival(x, 1), std::erfc(std::sqrt(x / 2)), 1e-14) << x;
    EXPECT_NEAR(chi_square_survival(x, 2), std::exp(-x / 2), 1e-14) << x;
    EXPECT_NEAR(chi_square_survival(x, 4), std::exp(-x / 2) * (1 + x / 2), 1e-14) << x;
  }
  EXPECT_NEAR(chi_square_survival(3.841458820694124, 1), 0.05, 1e-12);
  EXPECT_NEAR(chi_square_survival(5.991464547107979, 2), 0.05, 1e-12);
  EXPECT_NEAR(chi_square_survival(11.070497693516351, 5), 0.05, 1e-12);
  EXPECT_EQ(chi_square_survival(0.0, 3), 1.0);
  EXPECT_EQ(chi_square_survival(7.0, 0), 1.0);
  // Far in the tail the p-value stays positive (the scores read −log10 p).
  EXPECT_GT(chi_square_survival(900.0, 9), 0.0);
}

// [[10, 20], [30, 40]]: margins 30, 70 and 40, 60 of 100; expected [[12, 18], [28, 42]]; every
// |O − E| = 2, Yates-corrected to 1.5: X² = 2.25 (1/12 + 1/18 + 1/28 + 1/42) = 25/56.
TEST(ChiSquareTest, TwoByTwoTableIsYatesCorrected) {
  const auto r = chi_square_test(std::vector<std::vector<double>>{{10, 20}, {30, 40}});
  EXPECT_EQ(r.dof, 1);
  EXPECT_NEAR(r.statistic, 25.0 / 56.0, 1e-12);
  EXPECT_NEAR(r.p_value, std::erfc(std::sqrt(25.0 / 112.0)), 1e-12);
}

// [[10, 20, 30], [20, 20, 10]]: margins 60, 50 and 30, 40, 40 of 110; each cell adds
// (O·n − R·C)² / (R·C·n), which sums to 451/36; 2 degrees of freedom, no correction.
TEST(ChiSquareTest, TwoByThreeTableByHand) {
  const auto r = chi_square_test(std::vector<std::vector<double>>{{10, 20, 30}, {20, 20, 10}});
  EXPECT_EQ(r.dof, 2);
  EXPECT_NEAR(r.statistic, 451.0 / 36.0, 1e-12);
  EXPECT_NEAR(r.p_value, std::exp(-451.0 / 72.0), 1e-12);
}

// Levels never seen are dropped (scipy's table, built from the data, has none), and a variable
// with one level carries no evidence: p = 1.
TEST(ChiSquareTest, EmptyLevelsDroppedConstantGivesPOne) {
  const auto dropped =
      chi_square_test(std::vector<std::vector<double>>{{10, 20}, {0, 0}, {30, 40}});
  EXPECT_EQ(dropped.dof, 1);
  EXPECT_NEAR(dropped.statistic, 25.0 / 56.0, 1e-12);
  const auto constant =
      chi_square_test(std::vector<int64_t>{1, 1, 1, 1}, std::vector<int64_t>{0, 1, 0, 1});
  EXPECT_EQ(constant.dof, 0);
  EXPECT_EQ(constant.p_value, 1.0);
  EXPECT_THROW(chi_square_test(std::vector<int64_t>{1, 2}, std::vector<int64_t>{1}), c10::Error);
  EXPECT_THROW(chi_square_test(std::vector<std::vector<double>>{{1, 2}, {3}}), c10::Error);
}

// Paired observations build the table above: x in {3, 7}, y in {1, 12} with counts
// (3,1) 10, (3,12) 20, (7,1) 30, (7,12) 40.
TEST(ChiSquareTest, ObservationsGiveTheirContingencyTable) {
  std::vector<int64_t> x, y;
  const auto add = [&](int64_t a, int64_t b, int count) {
    for (int i = 0; i < count; ++i) {
      x.push_back(a);
      y.push_back(b);
    }
  };
  add(7, 12, 40);
  add(3, 1, 10);
  add(7, 1, 30);
  add(3, 12, 20);
  const auto r = chi_square_test(x, y);
  EXPECT_EQ(r.dof, 1);
  EXPECT_NEAR(r.statistic, 25.0 / 56.0, 1e-12);
}

// ---- samples ----

// The perturbed copies change exactly the chosen rows, and the batched pass over the copies
// gives, for an unchanged copy, every node's probabilities of a pass over the part alone and
// the target's of the full graph.
TEST(PGMSamplesTest, BatchedCopiesMatchPlainForwardPasses) {
  const auto g = testing::random_graph(30, 90, 4, /*seed=*/5);
  auto model = gnnx::testing::small_model(gnn::Task::kNodeClassification, 4, 3, 2);
  ExplainCall call;
  call.model = model.get();
  call.graph = &g;
  const gnn::GcnAdjacency adj(g);
  call.adj = &adj;
  const TargetBatch one = call.make_batch({7});
  const int64_t n = one.graph.num_nodes();
  ASSERT_GT(n, 3);
  auto chosen = torch::zeros({3, n}, torch::kBool);
  chosen[1][0] = true;
  chosen[2][n - 1] = true;
  const auto columns = detail::feature_columns(g.x());
  auto gen = at::detail::createCPUGenerator(1);
  const auto xs =
      detail::perturbed_copies(one.graph.x(), chosen, Perturbation::kZero, columns, gen);
  ASSERT_EQ(xs.size(0), 3 * n);
  EXPECT_TRUE(torch::equal(xs.slice(0, 0, n), one.graph.x()));
  EXPECT_TRUE(torch::equal(xs[n], torch::zeros({4})));
  EXPECT_TRUE(torch::equal(xs.slice(0, n + 1, 2 * n), one.graph.x().slice(0, 1)));
  const auto maxed =
      detail::perturbed_copies(one.graph.x(), chosen, Perturbation::kMax, columns, gen);
  EXPECT_TRUE(torch::equal(maxed[3 * n - 1], std::get<0>(g.x().max(0))));

  const auto probs = detail::copy_probabilities(*model, one, xs, 3);
  ASSERT_EQ(probs.sizes(), (std::vector<int64_t>{3, n, 3}));
  torch::NoGradGuard no_grad;
  const auto alone = torch::softmax(model->logits(one.graph.x(), one.adj).to(torch::kDouble), 1);
  EXPECT_TRUE(torch::allclose(probs[0], alone, 1e-6, 1e-9));
  const auto full = torch::softmax(model->logits(g.x(), adj).to(torch::kDouble), 1);
  const int64_t pos = one.target_pos[0].item<int64_t>();
  EXPECT_TRUE(torch::allclose(probs[0][pos], full[7], 1e-6, 1e-9));
  // A copy whose perturbed node is off the target's copy changes other rows of that copy only.
  EXPECT_FALSE(torch::allclose(probs[1], probs[0], 1e-6, 1e-9));
}

// The explanation's nodes: those scoring above one half (original ids, ascending).
std::vector<int64_t> picked(const Explanation& e) {
  std::vector<int64_t> out;
  const auto ids = io::to_vector<int64_t>(e.node_ids);
  const auto score = io::to_vector<float>(e.node_mask);
  for (size_t i = 0; i < ids.size(); ++i) {
    if (score[i] > 0.5f) out.push_back(ids[i]);
  }
  std::sort(out.begin(), out.end());
  EXPECT_EQ(e.diagnostics.at("selected_nodes"), static_cast<double>(out.size()));
  return out;
}

// ---- hand-built models whose output depends on one node's features ----

// A node classifier of one GCN layer (identity weight, no bias) and a head with class-1 logit
// 20 h[0] and class-0 logit 2.5: only feature 0 counts, and only node `k` has a nonzero
// feature 0; the "zero" perturbation clears a node's features, so perturbing any other node
// changes nothing (their feature 1, random, is ignored by the head).
std::shared_ptr<gnn::GnnModel> feature_zero_node_model() {
  gnn::ModelSpec spec;
  spec.in_features = 2;
  spec.num_classes = 2;
  spec.hidden = 2;
  spec.num_layers = 1;
  auto model = std::dynamic_pointer_cast<gnn::NodeClassifierImpl>(gnn::make_model(spec));
  torch::NoGradGuard no_grad;
  model->named_parameters()["conv0.weight"].copy_(torch::eye(2));
  model->named_parameters()["conv0.bias"].zero_();
  model->head()->weight.copy_(torch::tensor({{0.f, 0.f}, {20.f, 0.f}}));
  model->head()->bias.copy_(torch::tensor({2.5f, 0.f}));
  return model;
}

// A star: target 0 in the middle, node 1 (the only one with feature 0 = 1) and nodes 2..7 around
// it, undirected. Target 0 reads node 1 with norm 1/sqrt(8 · 2): class-1 logit 5 > 2.5; node 1
// cleared, 0 < 2.5, its probability drops from 0.92 to 0.08. Nodes 2..7 read only themselves
// and node 0 (feature 0 = 0): their prediction never changes.
gnn::Graph star_graph() {
  std::vector<int64_t> src, dst;
  for (int64_t v = 1; v < 8; ++v) {
    src.insert(src.end(), {0, v});
    dst.insert(dst.end(), {v, 0});
  }
  torch::manual_seed(3);
  auto x = torch::zeros({8, 2});
  x.select(1, 1).copy_(torch::rand({8}));
  x[1][0] = 1.0;
  return gnn::Graph(8, torch::stack({torch::tensor(src), torch::tensor(dst)}), x);
}

// Node 1's p-value is astronomically small; the others are p-values of independent variables,
// uniform in [0, 1], so the test's significance level is 1e-4 (a false pick among six nodes and
// three seeds would have probability 0.2%; at 0.01 one seed picks a node with p = 0.007).
TEST(PGMExplainerTest, NodeTaskPicksTheOneNodeTheOutputDependsOn) {
  const auto g = star_graph();
  auto model = feature_zero_node_model();
  for (uint64_t seed : {0, 1, 2}) {
    const auto options = PGMExplainerOptions()
                             .perturbation(Perturbation::kZero)
                             .samples(200)
                             .p_threshold(1e-4)
                             .seed(seed);
    const auto e = PGMExplainer(options).explain_nodes(*model, g, std::vector<int64_t>{0})[0];
    EXPECT_EQ(e.predicted_class, 1);
    // The target and node 1, nothing else.
    EXPECT_EQ(picked(e), (std::vector<int64_t>{0, 1})) << seed;
    const auto ids = io::to_vector<int64_t>(e.node_ids);
    const auto score = io::to_vector<float>(e.node_mask);
    float k_score = 0, best_other = 0;
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] == 0) {
        EXPECT_EQ(score[i], 1.0f);  // the target: p = 0
      }
      if (ids[i] == 1) k_score = score[i];
      if (ids[i] > 1) best_other = std::max(best_other, score[i]);
    }
    // Node 1's p-value is tiny (200 samples, a 2 x 4 table of near-perfect dependence): near
    // the top of the picked nodes' range [0.75, 1]; the others below one half.
    EXPECT_GT(k_score, 0.95f);
    EXPECT_LT(best_other, 0.5f);
    EXPECT_EQ(e.options.at("perturbation"), "zero");
  }
}

// Graph task: a ring of 20 nodes, only node 13 with feature 0 = 1, and a graph classifier of
// one GCN layer (identity, no bias), sum readout and class-1 logit 20 · pooled[0] against 2.5:
// clearing node 13 drops class 1 from certain to 0.08, clearing any other node changes nothing.
// With top-nodes 1 the explanation is node 13 alone.
TEST(PGMExplainerTest, GraphTaskPicksTheOneNodeTheOutputDependsOn) {
  std::vector<int64_t> src, dst;
  for (int64_t v = 0; v < 20; ++v) {
    src.insert(src.end(), {v, (v + 1) % 20});
    dst.insert(dst.end(), {(v + 1) % 20, v});
  }
  torch::manual_seed(4);
  auto x = torch::zeros({20, 2});
  x.select(1, 1).copy_(torch::rand({20}));
  x[13][0] = 1.0;
  const std::vector<gnn::Graph> graphs = {
      gnn::Graph(20, torch::stack({torch::tensor(src), torch::tensor(dst)}), x)};
  gnn::ModelSpec spec;
  spec.task = gnn::Task::kGraphClassification;
  spec.in_features = 2;
  spec.num_classes = 2;
  spec.hidden = 2;
  spec.num_layers = 1;
  spec.readout = gnn::Readout::kSum;
  auto model = std::dynamic_pointer_cast<gnn::GraphClassifierImpl>(gnn::make_model(spec));
  {
    torch::NoGradGuard no_grad;
    model->named_parameters()["conv0.weight"].copy_(torch::eye(2));
    model->named_parameters()["conv0.bias"].zero_();
    model->head()->weight.copy_(torch::tensor({{0.f, 0.f}, {20.f, 0.f}}));
    model->head()->bias.copy_(torch::tensor({2.5f, 0.f}));
  }
  for (uint64_t seed : {0, 1}) {
    const auto options = PGMExplainerOptions()
                             .perturbation(Perturbation::kZero)
                             .samples(200)
                             .top_nodes(1)
                             .perturb_fraction(0.5)
                             .seed(seed);
    const auto e = PGMExplainer(options).explain_graphs(*model, graphs)[0];
    EXPECT_EQ(e.predicted_class, 1);
    EXPECT_EQ(picked(e), (std::vector<int64_t>{13})) << seed;
    const auto score = io::to_vector<float>(e.node_mask);
    for (int64_t v = 0; v < 20; ++v) {
      if (v != 13) {
        EXPECT_LT(score[v], score[13]) << v;
      }
    }
    EXPECT_GT(score[13], 0.95f);  // picked, with a tiny round-2 p
  }
}

// Unset samples, fraction and top-nodes take the task's defaults: node tasks PyG's, graph tasks
// the authors' graph experiments'; a value the caller sets is kept on both.
TEST(PGMExplainerTest, DefaultsFollowTheTask) {
  const auto node = PGMExplainerOptions().for_task(gnn::Task::kNodeClassification);
  EXPECT_EQ(node.samples(), 100);
  EXPECT_DOUBLE_EQ(node.perturb_fraction(), 0.5);
  EXPECT_EQ(node.top_nodes(), 0);
  const auto graph = PGMExplainerOptions().for_task(gnn::Task::kGraphClassification);
  EXPECT_EQ(graph.samples(), 1000);
  EXPECT_DOUBLE_EQ(graph.perturb_fraction(), 0.1);
  EXPECT_EQ(graph.top_nodes(), 4);
  const auto set = PGMExplainerOptions().samples(7).perturb_fraction(0.3).top_nodes(2).for_task(
      gnn::Task::kGraphClassification);
  EXPECT_EQ(set.samples(), 7);
  EXPECT_DOUBLE_EQ(set.perturb_fraction(), 0.3);
  EXPECT_EQ(set.top_nodes(), 2);
}

// ---- scores, determinism, options ----

// Each edge scores the smaller of its endpoints' scores (checked through the original ids).
TEST(PGMExplainerTest, EdgeScoreIsTheSmallerEndpointScore) {
  const auto ds = datasets::make_synthetic("ba-shapes", 0);
  const auto& g = ds.graphs[0];
  auto model = gnnx::testing::small_model(gnn::Task::kNodeClassification, g.num_features(), 4, 3);
  const auto out = PGMExplainer(PGMExplainerOptions().samples(40))
                       .explain_nodes(*model, g, std::vector<int64_t>{300, 511});
  for (const auto& e : out) {
    const auto ids = io::to_vector<int64_t>(e.node_ids);
    const auto node_score = io::to_vector<float>(e.node_mask);
    std::map<int64_t, float> by_id;
    for (size_t i = 0; i < ids.size(); ++i) by_id[ids[i]] = node_score[i];
    const auto edges = io::to_vector<int64_t>(e.edge_ids);
    const auto edge_score = io::to_vector<float>(e.edge_mask);
    const auto ei = g.edge_index();
    for (size_t k = 0; k < edges.size(); ++k) {
      const int64_t u = ei[0][edges[k]].item<int64_t>(), v = ei[1][edges[k]].item<int64_t>();
      EXPECT_EQ(edge_score[k], std::min(by_id.at(u), by_id.at(v)));
    }
    EXPECT_GE(e.node_mask.min().item<float>(), 0.0f);
    EXPECT_LE(e.node_mask.max().item<float>(), 1.0f);
  }
}

void expect_same(const std::vector<Explanation>& a, const std::vector<Explanation>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(torch::equal(a[i].node_mask, b[i].node_mask)) << i;
    EXPECT_TRUE(torch::equal(a[i].edge_mask, b[i].edge_mask)) << i;
    EXPECT_EQ(a[i].diagnostics, b[i].diagnostics) << i;
  }
}

// The same explanations with one worker thread, with two, and with every target alone (node
// and graph task); another seed gives others.
TEST(PGMExplainerTest, SameResultForAnyThreadCountAndBatch) {
  const auto ds = datasets::make_synthetic("ba-shapes", 0);
  const auto& g = ds.graphs[0];
  auto model = gnnx::testing::small_model(gnn::Task::kNodeClassification, g.num_features(), 4, 3);
  const std::vector<int64_t> targets = {300, 301, 400, 512, 640};
  std::vector<gnn::Graph> graphs;
  for (uint64_t seed = 0; seed < 4; ++seed)
    graphs.push_back(testing::random_graph(25, 60, 3, seed));
  auto graph_model = gnnx::testing::small_model(gnn::Task::kGraphClassification, 3, 2, 5);
  const auto options = PGMExplainerOptions().samples(48);
  const int before = gnn::worker_threads();
  gnn::set_worker_threads(1);
  const auto one = PGMExplainer(options).explain_nodes(*model, g, targets);
  const auto one_graphs = PGMExplainer(options).explain_graphs(*graph_model, graphs);
  gnn::set_worker_threads(2);
  const auto two = PGMExplainer(options).explain_nodes(*model, g, targets);
  const auto two_graphs = PGMExplainer(options).explain_graphs(*graph_model, graphs);
  const auto alone =
      PGMExplainer(options, TargetOptions().batch_size(1)).explain_nodes(*model, g, targets);
  gnn::set_worker_threads(before);
  expect_same(one, two);
  expect_same(one, alone);
  expect_same(one_graphs, two_graphs);
  const auto other =
      PGMExplainer(PGMExplainerOptions().samples(48).seed(9)).explain_nodes(*model, g, targets);
  bool differs = false;
  for (size_t i = 0; i < targets.size(); ++i) {
    differs = differs || !torch::equal(one[i].node_mask, other[i].node_mask);
  }
  EXPECT_TRUE(differs);
}

TEST(PGMExplainerTest, RejectsBadOptions) {
  EXPECT_THROW(PGMExplainer(PGMExplainerOptions().samples(-1)), InputError);
  EXPECT_THROW(PGMExplainer(PGMExplainerOptions().perturb_fraction(-0.1)), InputError);
  EXPECT_THROW(PGMExplainer(PGMExplainerOptions().perturb_fraction(1.5)), InputError);
  EXPECT_THROW(PGMExplainer(PGMExplainerOptions().p_threshold(0)), InputError);
  EXPECT_THROW(PGMExplainer(PGMExplainerOptions().pred_threshold(-0.1)), InputError);
  EXPECT_THROW(PGMExplainer(PGMExplainerOptions().top_nodes(-1)), InputError);
  // Through the registry and the option schema, as the command line reaches it.
  MethodOptions o;
  set_option(o, "perturbation", "mean");
  set_option(o, "samples", "30");
  set_option(o, "top-nodes", "3");
  auto made = make_explainer("pgm-explainer", o);
  const auto* pgm = dynamic_cast<const PGMExplainer*>(made.get());
  ASSERT_NE(pgm, nullptr);
  EXPECT_EQ(pgm->options().perturbation(), Perturbation::kMean);
  EXPECT_EQ(pgm->options().samples(), 30);
  EXPECT_EQ(pgm->options().top_nodes(), 3);
  EXPECT_THROW(set_option(o, "perturbation", "gaussian"), InputError);
  EXPECT_THROW(set_option(o, "p-threshold", "0"), InputError);
}

}  // namespace
}  // namespace gnnx::explainers
