// GraphMask (graphmask.h) and the hard concrete gates (hard_concrete.h): the sampler against the
// closed forms of Louizos et al. (sample by hand, P(z ≠ 0) and P(z = 1) by Monte Carlo),
// gradients against finite differences, the gate network against a plain reference, per-layer
// masks in planned and unplanned passes and in graph models, a hand-built model where one edge
// alone carries the prediction, determinism across thread counts, both tasks, bad options.

#include <gnnx/explainers/graphmask.h>
#include <gnnx/explainers/hard_concrete.h>
#include <gnnx/explainers/layer_plan.h>
#include <gnnx/explainers/target_batch.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/threads.h>

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include "explainers/small_models.h"

#include <gtest/gtest.h>
#include <torch/autograd.h>

#include <cmath>
#include <vector>

#include "support/builders.h"

namespace gnnx::explainers {
namespace {

double sigmoid(double v) { return 1 / (1 + std::exp(-v)); }
double logit(double p) { return std::log(p / (1 - p)); }

std::shared_ptr<gnn::GnnModel> model_of(gnn::Task task, gnn::Architecture arch, int64_t in,
                                        uint64_t seed) {
  return gnnx::testing::small_model(task, in, /*classes=*/3, seed, arch, /*layers=*/2);
}

/// A random undirected graph (both directions of every edge).
gnn::Graph undirected_graph(int64_t nodes, int64_t edges, uint64_t seed) {
  const gnn::Graph g = testing::random_graph(nodes, edges, 4, seed);
  const auto ei = g.edge_index();
  const auto both = torch::cat({ei, ei.flip(0)}, 1);
  const auto key = both[0] * nodes + both[1];
  const auto unique = std::get<0>(torch::_unique(key, /*sorted=*/true));
  return {nodes, torch::stack({unique.div(nodes, "floor"), unique.remainder(nodes)}), g.x()};
}

TEST(HardConcreteTest, SampleIsTheStretchedClippedConcrete) {
  const auto o = HardConcreteOptions();
  const std::vector<double> logits = {-4.0, -1.0, 0.0, 0.7, 3.0};
  const std::vector<double> u = {0.3, 0.9, 0.5, 0.05, 0.6};
  const auto sample = hard_concrete_sample(torch::tensor(logits, torch::kDouble),
                                           torch::tensor(u, torch::kDouble), o);
  for (size_t i = 0; i < logits.size(); ++i) {
    const double a = logits[i] + o.loc_bias();
    const double s = sigmoid((logit(u[i]) + a) / o.beta());
    const double z = std::min(1.0, std::max(0.0, s * (o.zeta() - o.gamma()) + o.gamma()));
    EXPECT_NEAR(sample.gate[i].item<double>(), z, 1e-12) << i;
    // Louizos et al.'s expected L0 norm: sigmoid(log α − β log(−γ / ζ)).
    EXPECT_NEAR(sample.penalty[i].item<double>(),
                sigmoid(a - o.beta() * std::log(-o.gamma() / o.zeta())), 1e-12)
        << i;
  }
  // The mean gate: sigmoid(a) stretched and clipped; at a = 0 it is (ζ + γ) / 2.
  const auto mean = hard_concrete_mean_gate(torch::tensor({-o.loc_bias(), 10.0, -10.0}), o);
  EXPECT_NEAR(mean[0].item<float>(), (o.zeta() + o.gamma()) / 2, 1e-6);
  EXPECT_EQ(mean[1].item<float>(), 1.0f);
  EXPECT_EQ(mean[2].item<float>(), 0.0f);
}

// P(z ≠ 0) and P(z = 1) of many samples against the closed forms
// sigmoid(a − β logit(−γ / (ζ − γ))) and sigmoid(a − β logit((1 − γ) / (ζ − γ))).
TEST(HardConcreteTest, SampleFrequenciesMatchTheClosedForms) {
  for (const auto& o : {HardConcreteOptions(), HardConcreteOptions().beta(2.0 / 3).zeta(1.1)}) {
    auto gen = at::detail::createCPUGenerator(11);
    const int64_t n = 200000;
    for (const double l : {-3.0, -1.5, 0.0, 1.0}) {
      const auto u = at::empty({n}, torch::kDouble).uniform_(1e-9, 1 - 1e-9, gen);
      const auto sample = hard_concrete_sample(torch::full({n}, l, torch::kDouble), u, o);
      const double open = (sample.gate > 0).to(torch::kDouble).mean().item<double>();
      const double full = (sample.gate == 1).to(torch::kDouble).mean().item<double>();
      const double a = l + o.loc_bias();
      const double range = o.zeta() - o.gamma();
      const double p_open = sigmoid(a - o.beta() * logit(-o.gamma() / range));
      const double p_full = sigmoid(a - o.beta() * logit((1 - o.gamma()) / range));
      // Four standard errors of a frequency over n draws.
      EXPECT_NEAR(open, p_open, 4 * std::sqrt(p_open * (1 - p_open) / n)) << l;
      EXPECT_NEAR(full, p_full, 4 * std::sqrt(p_full * (1 - p_full) / n) + 1e-9) << l;
      EXPECT_NEAR(sample.penalty[0].item<double>(), p_open, 1e-12);
    }
  }
}

TEST(HardConcreteTest, GradientsMatchFiniteDifferences) {
  const auto o = HardConcreteOptions();
  // Logits whose gates are strictly inside (0, 1) (the clipped ones have gradient 0).
  const auto logits = torch::tensor({-2.1, -1.7, -2.5}, torch::kDouble).requires_grad_();
  const auto u = torch::tensor({0.4, 0.35, 0.7}, torch::kDouble);
  const auto weights = torch::tensor({0.3, -1.2, 0.8}, torch::kDouble);
  const auto sample = hard_concrete_sample(logits, u, o);
  ASSERT_TRUE(((sample.gate > 0) & (sample.gate < 1)).all().item<bool>()) << sample.gate;
  const auto analytic = torch::autograd::grad(
      {(sample.gate * weights).sum() + (sample.penalty * weights).sum()}, {logits})[0];
  const auto f = [&](const torch::Tensor& l) {
    const auto s = hard_concrete_sample(l, u, o);
    return ((s.gate * weights).sum() + (s.penalty * weights).sum()).item<double>();
  };
  const auto numeric = testing::numeric_gradient(f, logits.detach());
  EXPECT_TRUE(torch::allclose(analytic, numeric, 1e-6, 1e-8)) << analytic << numeric;
}

TEST(HardConcreteTest, StraightThroughThresholdsEachGroupAtItsMidrange) {
  const auto gate = torch::tensor({0.1, 0.5, 0.9, 0.2, 0.25, 0.6}, torch::kDouble).requires_grad_();
  const auto group = torch::tensor({0, 0, 0, 1, 1, 1}, torch::kLong);
  const auto hard = straight_through_gates(gate, group, 2);
  // Group 0: midrange 0.5 (0.5 itself stays closed); group 1: midrange 0.4.
  const std::vector<double> expect = {0, 0, 1, 0, 0, 1};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(hard[i].item<double>(), expect[i]) << i;
  const auto w = torch::arange(1, 7, torch::kDouble);
  const auto grad = torch::autograd::grad({(hard * w).sum()}, {gate})[0];
  EXPECT_TRUE(torch::equal(grad, w));
}

TEST(GraphMaskFormulaTest, GateLogitsEqualAPlainReference) {
  const GateNetwork g = GateNetwork::init(3, 5, /*seed=*/4);
  {
    // Non-trivial LayerNorm affine parameters and bias, so each term is exercised.
    torch::NoGradGuard no_grad;
    g.ln_weight.copy_(torch::rand({2, 5}) + 0.5);
    g.ln_bias.copy_(torch::randn({2, 5}));
    g.bias.fill_(0.3);
  }
  torch::manual_seed(3);
  const auto h = torch::randn({6, 3});
  const auto src = torch::tensor({0, 2, 5, 1}, torch::kLong);
  const auto dst = torch::tensor({1, 1, 3, 4}, torch::kLong);
  const auto out = g.logits(h, src, dst);
  ASSERT_EQ(out.sizes(), torch::IntArrayRef({4}));
  const auto layer_norm = [](const torch::Tensor& v, const torch::Tensor& w,
                             const torch::Tensor& b) {
    const auto m = v.mean();
    const auto var = ((v - m) * (v - m)).mean();
    return (v - m) / torch::sqrt(var + 1e-5) * w + b;
  };
  for (int64_t e = 0; e < 4; ++e) {
    const auto hs = torch::mv(g.w_source, h[src[e].item<int64_t>()]);
    const auto ht = torch::mv(g.w_target, h[dst[e].item<int64_t>()]);
    const auto hidden = torch::relu((layer_norm(hs, g.ln_weight[0], g.ln_bias[0]) +
                                     layer_norm(ht, g.ln_weight[1], g.ln_bias[1]) + g.bias) /
                                    2);
    const double expect = (torch::dot(g.w_out[0], hidden) + g.b_out[0]).item<double>();
    EXPECT_NEAR(out[e].item<double>(), expect, 1e-5) << e;
  }
  // PyG's initialisation bounds.
  const double a = std::sqrt(3.0) * std::sqrt(2.0 / (2 * 3 + 5));
  EXPECT_LE(g.w_source.abs().max().item<double>(), a);
  EXPECT_LE(g.w_out.abs().max().item<double>(), 1 / std::sqrt(5.0));
}

TEST(GraphMaskFormulaTest, ConstraintIsTheMeanOfTheCrossEntropiesOverTheAllowance) {
  const auto logits = torch::tensor({{2.0, 0.0}, {0.0, 0.0}, {0.0, 3.0}}, torch::kDouble);
  const double ce0 = std::log(1 + std::exp(-2.0));
  const double ce1 = std::log(2.0);
  const double ce2 = std::log(1 + std::exp(-3.0));
  const double allowance = 0.1;
  const double expect = (std::max(0.0, ce0 - allowance) + (ce1 - allowance) + 0.0) / 3;
  EXPECT_LT(ce2, allowance);
  EXPECT_NEAR(graphmask_constraint(logits, {0, 1, 1}, allowance).item<double>(), expect, 1e-12);
}

// Per-layer masks: the planned pass equals one over layer graphs of the whole union, and a graph
// model with the same mask in every layer equals its plain masked pass.
TEST(GraphMaskFormulaTest, PerLayerMasksAgreeAcrossPasses) {
  const gnn::Graph g = undirected_graph(40, 70, /*seed=*/5);
  auto model = model_of(gnn::Task::kNodeClassification, gnn::Architecture::kGcn, 4, 3);
  const gnn::GcnAdjacency adj(g);
  const auto batch = make_node_batch(g, adj, {1, 6, 30}, /*num_hops=*/2);
  const LayerPlan plan(*model, batch);
  torch::manual_seed(2);
  const std::vector<torch::Tensor> masks = {torch::rand({batch.graph.num_edges()}),
                                            torch::rand({batch.graph.num_edges()})};
  gnn::ForwardHooks hooks;
  for (const auto& m : masks) hooks.layer_graphs.push_back({&batch.adj, m, -1});
  const auto full = forward_targets(*model, batch, batch.graph.x(), {}, hooks).logits;
  const auto planned = plan.target_logits_per_layer(
      batch.graph.x(),
      {masks[0].index_select(0, plan.used_edges()), masks[1].index_select(0, plan.used_edges())});
  EXPECT_TRUE(torch::allclose(full, planned, 1e-5, 1e-6)) << full << planned;
  const auto one_mask = forward_targets(*model, batch, batch.graph.x(), masks[0]).logits;
  EXPECT_FALSE(torch::allclose(full, one_mask, 1e-4, 1e-5));

  const std::vector<gnn::Graph> graphs = {undirected_graph(9, 14, 1), undirected_graph(12, 20, 2)};
  auto graph_model = model_of(gnn::Task::kGraphClassification, gnn::Architecture::kGin, 4, 2);
  const auto gbatch = make_graph_batch(graphs, {0, 1});
  const auto m = torch::rand({gbatch.graph.num_edges()});
  gnn::ForwardHooks same;
  same.layer_graphs = {{&gbatch.adj, m, -1}, {&gbatch.adj, m, -1}};
  EXPECT_TRUE(torch::allclose(
      forward_targets(*graph_model, gbatch, gbatch.graph.x(), {}, same).logits,
      forward_targets(*graph_model, gbatch, gbatch.graph.x(), m).logits, 1e-5, 1e-6));
  gnn::ForwardHooks dropping;
  dropping.layer_graphs = {{&gbatch.adj, m, 3}, {&gbatch.adj, m, 3}};
  EXPECT_THROW(forward_targets(*graph_model, gbatch, gbatch.graph.x(), {}, dropping), c10::Error);
}

// A star around node 0 whose leaf 1 alone carries the signal (feature 0): two GCN layers of 4
// units that pass feature 0 only (unit 0), and a head on the last layer whose class-1 logit is
// 50 h2[0] − 4 (class 0: 0). Every message but 1 -> 0's carries zeros in unit 0, so no other edge
// changes any logit. On the full star h2_0 = (1/√12)(1/2) + (1/6)(1/√12) = 0.1925 (CE 0.004);
// without 1 -> 0 in the last layer h2_0 = 0.048 (CE 1.8): that gate must stay open. (Without it
// in the first layer only, CE 0.04: a violation of 0.009 that the L0 penalty may outweigh.) 4
// units, not 2: the gate networks' LayerNorm over 2 units would see only a difference's sign.
std::shared_ptr<gnn::GnnModel> one_edge_model() {
  gnn::ModelSpec spec;
  spec.in_features = 2;
  spec.num_classes = 2;
  spec.hidden = 4;
  spec.num_layers = 2;
  spec.concat = false;
  auto model = std::dynamic_pointer_cast<gnn::NodeClassifierImpl>(gnn::make_model(spec));
  torch::NoGradGuard no_grad;
  auto params = model->named_parameters();
  auto w0 = torch::zeros({2, 4});
  w0[0][0] = 1;
  params["conv0.weight"].copy_(w0);
  params["conv0.bias"].zero_();
  params["conv1.weight"].copy_(torch::eye(4));
  params["conv1.bias"].zero_();
  auto head = torch::zeros({2, 4});
  head[1][0] = 50;
  model->head()->weight.copy_(head);
  model->head()->bias.copy_(torch::tensor({0.f, -4.f}));
  model->eval();
  return model;
}

gnn::Graph star(int64_t leaves) {
  std::vector<int64_t> src, dst;
  for (int64_t j = 1; j <= leaves; ++j) {
    src.insert(src.end(), {j, 0});
    dst.insert(dst.end(), {0, j});
  }
  auto x = torch::zeros({leaves + 1, 2});
  x.select(1, 1).fill_(1);
  x[1] = torch::tensor({1.f, 0.f});
  return {leaves + 1, torch::stack({torch::tensor(src), torch::tensor(dst)}), x};
}

TEST(GraphMaskTest, TheOneEdgeThatCarriesThePredictionStaysOpenAndTheOthersClose) {
  auto model = one_edge_model();
  const gnn::Graph g = star(5);
  const auto out = GraphMask().explain_nodes(*model, g, {0});
  ASSERT_EQ(out.size(), 1u);
  const auto& e = out[0];
  EXPECT_EQ(e.predicted_class, 1);
  const auto mask = e.dense_edge_mask(g.num_edges());
  // Edge 0 is 1 -> 0.
  ASSERT_EQ(g.edge_index()[0][0].item<int64_t>(), 1);
  ASSERT_EQ(g.edge_index()[1][0].item<int64_t>(), 0);
  const float carrier = mask[0].item<float>();
  const float others = mask.slice(0, 1).max().item<float>();
  // The score is the mean of the two layers' gates: the last layer's gate open gives >= 1/2.
  EXPECT_GE(carrier, 0.45f) << mask;
  EXPECT_LT(others, 0.05f) << mask;
  // The edge the explanation keeps keeps the prediction; without it the class flips.
  const gnn::GcnAdjacency adj(g);
  const auto kept = (mask >= 0.45f).to(torch::kFloat);
  EXPECT_EQ(model->logits(g.x(), adj, kept)[0].argmax().item<int64_t>(), 1);
  EXPECT_EQ(model->logits(g.x(), adj, 1 - kept)[0].argmax().item<int64_t>(), 0);
}

TEST(GraphMaskTest, SameResultForAnyThreadCountSeedAndChunking) {
  const gnn::Graph g = undirected_graph(50, 100, /*seed=*/7);
  const std::vector<gnn::Graph> graphs = {undirected_graph(9, 14, 1), undirected_graph(12, 20, 2),
                                          undirected_graph(7, 10, 3)};
  const std::vector<int64_t> nodes = {3, 10, 22, 41};
  auto node_model = model_of(gnn::Task::kNodeClassification, gnn::Architecture::kGcn, 4, 1);
  auto graph_model = model_of(gnn::Task::kGraphClassification, gnn::Architecture::kGin, 4, 2);
  const auto options = GraphMaskOptions().epochs(10);
  const int before = gnn::worker_threads();
  gnn::set_worker_threads(1);
  at::set_num_threads(1);
  const auto a = GraphMask(options).explain_nodes(*node_model, g, nodes);
  const auto ga = GraphMask(options).explain_graphs(*graph_model, graphs);
  gnn::set_worker_threads(2);
  at::set_num_threads(2);
  const auto b = GraphMask(options).explain_nodes(*node_model, g, nodes);
  const auto gb = GraphMask(options).explain_graphs(*graph_model, graphs);
  const auto chunked =
      GraphMask(options, TargetOptions().batch_size(1)).explain_nodes(*node_model, g, nodes);
  gnn::set_worker_threads(before);
  const auto c = GraphMask(GraphMaskOptions(options).seed(1)).explain_nodes(*node_model, g, nodes);
  ASSERT_EQ(a.size(), nodes.size());
  ASSERT_EQ(ga.size(), graphs.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    EXPECT_TRUE(torch::equal(a[i].edge_mask, b[i].edge_mask)) << i;
    // One training for all chunks: the same network explains each target alone.
    EXPECT_TRUE(torch::allclose(a[i].edge_mask, chunked[i].edge_mask, 1e-5, 1e-6)) << i;
    EXPECT_FALSE(torch::equal(a[i].edge_mask, c[i].edge_mask)) << i;
    EXPECT_GE(a[i].edge_mask.min().item<float>(), 0.0f);
    EXPECT_LE(a[i].edge_mask.max().item<float>(), 1.0f);
    EXPECT_EQ(a[i].method, "graphmask");
  }
  for (size_t i = 0; i < graphs.size(); ++i) {
    EXPECT_TRUE(torch::equal(ga[i].edge_mask, gb[i].edge_mask)) << i;
    EXPECT_EQ(ga[i].edge_mask.numel(), graphs[i].num_edges());
    EXPECT_EQ(ga[i].node_mask.numel(), graphs[i].num_nodes());
  }
  EXPECT_EQ(a[0].diagnostics.at("fit_targets"), 4);
  EXPECT_EQ(ga[0].options.at("epochs"), "10");
}

TEST(GraphMaskTest, FitTargetsTrainOnOtherTargets) {
  const gnn::Graph g = undirected_graph(50, 100, /*seed=*/8);
  auto model = model_of(gnn::Task::kNodeClassification, gnn::Architecture::kGcn, 4, 1);
  const std::vector<int64_t> nodes = {3, 10, 22, 41};
  const auto options = GraphMaskOptions().epochs(10);
  const auto own = GraphMask(options).explain_nodes(*model, g, nodes);
  const auto other =
      GraphMask(GraphMaskOptions(options).fit_targets("0:50:2")).explain_nodes(*model, g, nodes);
  EXPECT_EQ(other[0].diagnostics.at("fit_targets"), 25);
  EXPECT_EQ(other[0].options.at("fit_targets"), "0:50:2");
  EXPECT_FALSE(torch::allclose(own[0].edge_mask, other[0].edge_mask, 1e-3, 1e-4));
}

TEST(GraphMaskTest, RejectsBadOptions) {
  EXPECT_THROW(GraphMask(GraphMaskOptions().epochs(0)), InputError);
  EXPECT_THROW(GraphMask(GraphMaskOptions().lr(0)), InputError);
  EXPECT_THROW(GraphMask(GraphMaskOptions().penalty_scaling(11)), InputError);
  EXPECT_THROW(GraphMask(GraphMaskOptions().allowance(-0.1)), InputError);
  EXPECT_THROW(GraphMask(GraphMaskOptions().init_lambda(2)), InputError);
  EXPECT_THROW(GraphMask(GraphMaskOptions().hard_concrete(HardConcreteOptions().gamma(0.1))),
               InputError);
  EXPECT_THROW(GraphMask(GraphMaskOptions().fit_targets("1:x")), InputError);
  MethodOptions o;
  set_option(o, "edge-size", "2");
  EXPECT_EQ(GraphMaskOptions::from(o).penalty_scaling(), 2.0);
  set_option(o, "edge-size", "12");
  EXPECT_THROW(make_explainer("graphmask", o), InputError);
  set_option(o, "edge-size", "2");
  EXPECT_EQ(make_explainer("graphmask", o)->name(), "graphmask");
}

}  // namespace
}  // namespace gnnx::explainers
