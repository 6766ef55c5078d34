// PGExplainer (pgexplainer.h): its formulas against hand computations, one step's gradient
// against finite differences, training that lowers the loss, determinism, both tasks, a GIN
// model, training on other targets, and the BA-Shapes quality bar.

#include <gnnx/datasets/synthetic.h>
#include <gnnx/explainers/layer_plan.h>
#include <gnnx/explainers/metrics.h>
#include <gnnx/explainers/pgexplainer.h>
#include <gnnx/explainers/target_batch.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/training.h>

#include "explainers/small_models.h"

#include <gtest/gtest.h>
#include <torch/autograd.h>

#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include "support/builders.h"

namespace gnnx::explainers {
namespace {

std::shared_ptr<gnn::GnnModel> model_of(gnn::Task task, gnn::Architecture arch, int64_t in,
                                        uint64_t seed) {
  return gnnx::testing::small_model(task, in, /*classes=*/3, seed, arch, /*layers=*/2);
}

/// A random undirected graph (both directions of every edge).
gnn::Graph undirected_graph(int64_t nodes, int64_t edges, uint64_t seed,
                            torch::Dtype dtype = torch::kFloat) {
  const gnn::Graph g = testing::random_graph(nodes, edges, 4, seed, dtype);
  const auto ei = g.edge_index();
  const auto both = torch::cat({ei, ei.flip(0)}, 1);
  const auto key = both[0] * nodes + both[1];
  const auto unique = std::get<0>(torch::_unique(key, /*sorted=*/true));
  return {nodes, torch::stack({unique.div(nodes, "floor"), unique.remainder(nodes)}), g.x()};
}

/// The reverse (v -> u) of every edge (u -> v) of a graph without duplicate edges, by search.
torch::Tensor reverse_of(const gnn::Graph& g) {
  const auto ei = g.edge_index();
  auto out = torch::arange(g.num_edges(), torch::kLong);
  for (int64_t e = 0; e < g.num_edges(); ++e) {
    const auto r = ((ei[0] == ei[1][e]) & (ei[1] == ei[0][e])).nonzero();
    if (r.size(0) == 1) out[e] = r[0][0];
  }
  return out;
}

TEST(PGExplainerFormulaTest, TemperatureFollowsTheSchedule) {
  EXPECT_DOUBLE_EQ(pgexplainer_temperature(5, 1, 0, 10), 5.0);
  EXPECT_NEAR(pgexplainer_temperature(5, 1, 5, 10), 5.0 * std::sqrt(0.2), 1e-12);
  EXPECT_NEAR(pgexplainer_temperature(5, 1, 9, 10), 5.0 * std::pow(0.2, 0.9), 1e-12);
  EXPECT_NEAR(pgexplainer_temperature(1, 0.05, 3, 4), std::pow(0.05, 0.75), 1e-12);
  EXPECT_THROW(pgexplainer_temperature(5, 1, 10, 10), c10::Error);
  EXPECT_THROW(pgexplainer_temperature(0, 1, 0, 10), c10::Error);
}

TEST(PGExplainerFormulaTest, ConcreteSampleIsTheGumbelSigmoid) {
  const auto logits = torch::tensor({0.0, 1.5, -2.0}, torch::kDouble);
  const auto u = torch::tensor({0.5, 0.2, 0.9}, torch::kDouble);
  const auto m = concrete_sample(logits, u, 2.0);
  const double expect[] = {0.5, 1 / (1 + std::exp(-(std::log(0.2 / 0.8) + 1.5) / 2)),
                           1 / (1 + std::exp(-(std::log(0.9 / 0.1) - 2.0) / 2))};
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(m[i].item<double>(), expect[i], 1e-12) << i;
}

TEST(PGExplainerFormulaTest, LossTermsMatchAHandComputation) {
  // Two targets: edges 0-1 belong to target 0, edges 2-4 to target 1.
  const auto logits = torch::tensor({{1.0, 2.0, 0.5}, {0.0, -1.0, 3.0}}, torch::kDouble);
  const auto mask = torch::tensor({0.9, 0.1, 0.5, 0.7, 0.2}, torch::kDouble);
  const auto part = torch::tensor({0, 0, 1, 1, 1}, torch::kLong);
  const auto loss = pgexplainer_loss(logits, {1, 2}, mask, part, 0.05, 1.0);
  const auto ce = [](std::vector<double> z, int c) {
    double s = 0;
    for (double v : z) s += std::exp(v);
    return std::log(s) - z[c];
  };
  EXPECT_NEAR(loss.prediction.item<double>(), ce({1, 2, 0.5}, 1) + ce({0, -1, 3}, 2), 1e-12);
  EXPECT_NEAR(loss.size.item<double>(), 0.05 * 2.4, 1e-12);
  const auto h = [](double p) {
    const double m = 0.99 * p + 0.005;
    return -m * std::log(m) - (1 - m) * std::log(1 - m);
  };
  EXPECT_NEAR(loss.entropy.item<double>(), (h(0.9) + h(0.1)) / 2 + (h(0.5) + h(0.7) + h(0.2)) / 3,
              1e-12);
  EXPECT_NEAR(loss.total().item<double>(),
              (loss.prediction + loss.size + loss.entropy).item<double>(), 1e-12);
}

TEST(PGExplainerFormulaTest, EdgeLogitsEqualTheDenseMlpOnConcatenatedEmbeddings) {
  torch::manual_seed(3);
  const auto z = torch::randn({5, 3}, torch::kDouble);
  const auto src = torch::tensor({0, 1, 4, 2}, torch::kLong);
  const auto dst = torch::tensor({1, 0, 3, 2}, torch::kLong);
  const auto target = torch::tensor({0, 0, 3, 3}, torch::kLong);
  for (bool node_task : {true, false}) {
    EdgeMlp mlp = EdgeMlp::glorot(node_task ? 9 : 6, 4, /*seed=*/7);
    for (auto* p : {&mlp.w1, &mlp.b1, &mlp.w2, &mlp.b2}) {
      *p = p->detach().to(torch::kDouble) + 0.1;  // nonzero biases
    }
    const auto got = mlp.edge_logits(z, src, dst, node_task ? target : torch::Tensor());
    for (int64_t e = 0; e < 4; ++e) {
      // in = [z_src, z_dst(, z_target)]; relu(in W1ᵀ + b1) W2ᵀ + b2, by hand.
      std::vector<double> in;
      const std::vector<torch::Tensor> blocks = {src, dst, target};
      for (size_t k = 0; k < (node_task ? 3u : 2u); ++k) {
        for (int64_t f = 0; f < 3; ++f) {
          in.push_back(z[blocks[k][e].item<int64_t>()][f].item<double>());
        }
      }
      double out = mlp.b2[0].item<double>();
      for (int64_t j = 0; j < 4; ++j) {
        double pre = mlp.b1[j].item<double>();
        for (size_t i = 0; i < in.size(); ++i) pre += in[i] * mlp.w1[j][i].item<double>();
        out += std::max(pre, 0.0) * mlp.w2[0][j].item<double>();
      }
      EXPECT_NEAR(got[e].item<double>(), out, 1e-12) << (node_task ? "node" : "graph") << e;
    }
  }
  EdgeMlp wrong = EdgeMlp::glorot(6, 4, 7);
  EXPECT_THROW(wrong.edge_logits(z.to(torch::kFloat), src, dst, target), c10::Error);
}

// The gradient the training loop steps with, in double, against central differences: the
// MLP's logits, the concrete sample, the symmetrised mask through the GCN, the three terms.
TEST(PGExplainerGradientTest, OneStepsGradientMatchesFiniteDifferences) {
  const gnn::Graph g = undirected_graph(8, 10, /*seed=*/4, torch::kDouble);
  auto model = model_of(gnn::Task::kNodeClassification, gnn::Architecture::kGcn, 4, 2);
  model->to(torch::kDouble);
  const gnn::GcnAdjacency adj(g);
  const auto batch = make_node_batch(g, adj, {1, 6}, /*num_hops=*/2);
  torch::manual_seed(9);
  const auto z = torch::randn({g.num_nodes(), 8}, torch::kDouble);  // rows: g's nodes
  const auto uniform = torch::rand({batch.graph.num_edges()}, torch::kDouble) * 0.98 + 0.01;
  EdgeMlp mlp = EdgeMlp::glorot(24, 5, 1);
  for (auto* p : {&mlp.w1, &mlp.b1, &mlp.w2, &mlp.b2}) {
    *p = (p->detach().to(torch::kDouble) + 0.05).requires_grad_();
  }
  const auto options = PGExplainerOptions().edge_size(0.3).edge_ent(0.7);
  for (const bool symmetric : {false, true}) {
    const torch::Tensor reverse = symmetric ? reverse_of(batch.graph) : torch::Tensor();
    const auto loss_at = [&](const EdgeMlp& m) {
      return pgexplainer_step_loss(*model, batch, m, z, {2, 0}, uniform, /*temperature=*/1.7,
                                   reverse, options)
          .total();
    };
    const auto grads = torch::autograd::grad({loss_at(mlp)}, mlp.parameters());
    for (size_t i = 0; i < 4; ++i) {
      const auto numeric = testing::numeric_gradient(
          [&](const torch::Tensor& value) {
            EdgeMlp m = mlp;
            *std::vector<torch::Tensor*>{&m.w1, &m.b1, &m.w2, &m.b2}[i] = value;
            return loss_at(m).item<double>();
          },
          mlp.parameters()[i]);
      EXPECT_TRUE(torch::allclose(grads[i], numeric, 1e-6, 1e-7))
          << "parameter " << i << (symmetric ? ", symmetric" : "");
    }
  }
}

// The LayerPlan the training loop uses for node targets gives the loss and gradient of the
// full pass, symmetrised or not.
TEST(PGExplainerGradientTest, PlannedStepEqualsTheFullPass) {
  const gnn::Graph g = undirected_graph(40, 70, /*seed=*/5);
  auto model = model_of(gnn::Task::kNodeClassification, gnn::Architecture::kGcn, 4, 3);
  const gnn::GcnAdjacency adj(g);
  const auto batch = make_node_batch(g, adj, {1, 6, 30}, /*num_hops=*/2);
  const LayerPlan plan(*model, batch);
  torch::manual_seed(2);
  const auto z = torch::randn({g.num_nodes(), 8});
  const auto uniform = torch::rand({batch.graph.num_edges()}) * 0.98 + 0.01;
  const EdgeMlp mlp = EdgeMlp::glorot(24, 16, 4);
  const auto options = PGExplainerOptions();
  const std::vector<int64_t> classes = {0, 1, 2};
  for (const bool symmetric : {false, true}) {
    const torch::Tensor reverse = symmetric ? reverse_of(batch.graph) : torch::Tensor();
    const auto full =
        pgexplainer_step_loss(*model, batch, mlp, z, classes, uniform, 2.0, reverse, options);
    const auto planned = pgexplainer_step_loss(*model, batch, mlp, z, classes, uniform, 2.0,
                                               reverse, options, &plan);
    const auto g_full = torch::autograd::grad({full.total()}, mlp.parameters());
    const auto g_plan = torch::autograd::grad({planned.total()}, mlp.parameters());
    EXPECT_NEAR(full.total().item<double>(), planned.total().item<double>(), 1e-4);
    for (size_t i = 0; i < g_full.size(); ++i) {
      EXPECT_TRUE(torch::allclose(g_full[i], g_plan[i], 1e-3, 1e-5)) << i;
    }
  }
}

TEST(PGExplainerTest, TrainingLowersTheLoss) {
  const gnn::Graph g = undirected_graph(60, 120, /*seed=*/6);
  auto model = model_of(gnn::Task::kNodeClassification, gnn::Architecture::kGcn, 4, 5);
  std::vector<int64_t> nodes;
  for (int64_t i = 0; i < 60; i += 3) nodes.push_back(i);
  const auto options =
      PGExplainerOptions().epochs(150).lr(0.01).temperature_start(1).temperature_end(1);
  const auto out = PGExplainer(options).explain_nodes(*model, g, nodes);
  const double first = out[0].diagnostics.at("fit_loss_first");
  const double last = out[0].diagnostics.at("fit_loss_last");
  EXPECT_EQ(out[0].diagnostics.at("fit_targets"), 20);
  EXPECT_LT(last, 0.8 * first) << first << " -> " << last;
}

void expect_masks_in_unit_interval(const std::vector<Explanation>& out) {
  for (const auto& e : out) {
    ASSERT_TRUE(e.edge_mask.defined());
    EXPECT_EQ(e.edge_mask.numel(), e.edge_ids.numel());
    EXPECT_GE(e.edge_mask.min().item<float>(), 0.0f);
    EXPECT_LE(e.edge_mask.max().item<float>(), 1.0f);
    EXPECT_EQ(e.method, "pgexplainer");
  }
}

TEST(PGExplainerTest, SameSeedSameMasksOtherSeedOtherMasksForBothTasksAndGin) {
  const gnn::Graph g = undirected_graph(50, 100, /*seed=*/7);
  const std::vector<gnn::Graph> graphs = {undirected_graph(9, 14, 1), undirected_graph(12, 20, 2),
                                          undirected_graph(7, 10, 3)};
  const std::vector<int64_t> nodes = {3, 10, 22, 41};
  for (const auto arch : {gnn::Architecture::kGcn, gnn::Architecture::kGin}) {
    auto node_model = model_of(gnn::Task::kNodeClassification, arch, 4, 1);
    auto graph_model = model_of(gnn::Task::kGraphClassification, arch, 4, 2);
    const auto options = PGExplainerOptions().epochs(8).symmetric_edges(true);
    const auto a = PGExplainer(options).explain_nodes(*node_model, g, nodes);
    const auto b = PGExplainer(options).explain_nodes(*node_model, g, nodes);
    const auto c =
        PGExplainer(PGExplainerOptions(options).seed(1)).explain_nodes(*node_model, g, nodes);
    const auto ga = PGExplainer(options).explain_graphs(*graph_model, graphs);
    const auto gb = PGExplainer(options).explain_graphs(*graph_model, graphs);
    expect_masks_in_unit_interval(a);
    expect_masks_in_unit_interval(ga);
    ASSERT_EQ(ga.size(), 3u);
    for (size_t i = 0; i < nodes.size(); ++i) {
      EXPECT_TRUE(torch::equal(a[i].edge_mask, b[i].edge_mask));
      EXPECT_FALSE(torch::equal(a[i].edge_mask, c[i].edge_mask));
    }
    for (size_t i = 0; i < graphs.size(); ++i) {
      EXPECT_TRUE(torch::equal(ga[i].edge_mask, gb[i].edge_mask));
      EXPECT_EQ(ga[i].edge_mask.numel(), graphs[i].num_edges());
    }
    // Symmetric: u->v and v->u carry the same mask.
    const auto full = a[0].dense_edge_mask(g.num_edges());
    const auto ei = g.edge_index();
    for (int64_t k = 0; k < a[0].edge_ids.numel(); ++k) {
      const int64_t id = a[0].edge_ids[k].item<int64_t>();
      const auto reverse = ((ei[0] == ei[1][id]) & (ei[1] == ei[0][id])).nonzero();
      ASSERT_EQ(reverse.size(0), 1);
      EXPECT_FLOAT_EQ(full[id].item<float>(), full[reverse[0][0]].item<float>());
    }
  }
}

// Training once: explaining in chunks of one target gives the masks of one chunk, and training
// on other targets (fit_targets) gives another network than training on the explained ones.
TEST(PGExplainerTest, ChunksShareOneTrainingAndFitTargetsChangeIt) {
  const gnn::Graph g = undirected_graph(50, 100, /*seed=*/8);
  auto model = model_of(gnn::Task::kNodeClassification, gnn::Architecture::kGcn, 4, 1);
  const std::vector<int64_t> nodes = {3, 10, 22, 41};
  const auto options = PGExplainerOptions().epochs(10);
  const auto together = PGExplainer(options).explain_nodes(*model, g, nodes);
  const auto chunked =
      PGExplainer(options, TargetOptions().batch_size(1)).explain_nodes(*model, g, nodes);
  const auto other = PGExplainer(PGExplainerOptions(options).fit_targets("0:50:2"))
                         .explain_nodes(*model, g, nodes);
  for (size_t i = 0; i < nodes.size(); ++i) {
    EXPECT_TRUE(torch::allclose(together[i].edge_mask, chunked[i].edge_mask, 1e-5, 1e-6));
    EXPECT_FALSE(torch::allclose(together[i].edge_mask, other[i].edge_mask, 1e-3, 1e-4));
  }
  EXPECT_EQ(other[0].diagnostics.at("fit_targets"), 25);
  EXPECT_EQ(other[0].options.at("fit_targets"), "0:50:2");
}

TEST(PGExplainerTest, PhenomenonModeTrainsOnTheLabels) {
  gnn::Graph g = undirected_graph(30, 60, /*seed=*/9);
  g = gnn::Graph(g.num_nodes(), g.edge_index(), g.x(), torch::arange(30, torch::kLong) % 3);
  auto model = model_of(gnn::Task::kNodeClassification, gnn::Architecture::kGcn, 4, 1);
  const std::vector<int64_t> nodes = {0, 4, 8, 13};
  const auto options = PGExplainerOptions().epochs(5);
  const auto phenomenon = PGExplainer(options, TargetOptions().mode(ExplainMode::kPhenomenon))
                              .explain_nodes(*model, g, nodes);
  for (size_t i = 0; i < nodes.size(); ++i) {
    EXPECT_EQ(phenomenon[i].explained_class, nodes[i] % 3);
  }
  EXPECT_EQ(phenomenon[0].options.at("mode"), "phenomenon");
}

TEST(PGExplainerTest, RejectsBadOptionsAndTargets) {
  const gnn::Graph g = undirected_graph(10, 20, /*seed=*/1);
  auto model = model_of(gnn::Task::kNodeClassification, gnn::Architecture::kGcn, 4, 1);
  EXPECT_THROW(PGExplainer(PGExplainerOptions().epochs(0)), InputError);
  EXPECT_THROW(PGExplainer(PGExplainerOptions().lr(std::nan(""))), InputError);
  EXPECT_THROW(PGExplainer(PGExplainerOptions().temperature_end(0)), InputError);
  EXPECT_THROW(PGExplainer(PGExplainerOptions().edge_size(-1)), InputError);
  EXPECT_THROW(PGExplainer(PGExplainerOptions().fit_targets("1:x")), InputError);
  try {
    PGExplainer(PGExplainerOptions().fit_targets("5:12"))
        .explain_nodes(*model, g, std::vector<int64_t>{1});
    ADD_FAILURE() << "fit target 10 of 10 accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "--fit-targets: 10 is out of range [0, 10)");
  }
  MethodOptions o;
  EXPECT_THROW(set_option(o, "temperature-start", "0"), InputError);
  EXPECT_THROW(set_option(o, "temperature-end", "nan"), InputError);
  EXPECT_THROW(set_option(o, "fit-targets", "3:1"), InputError);
  set_option(o, "fit-targets", "400:700:5");
  set_option(o, "temperature-end", "0.5");
  const auto read = PGExplainerOptions::from(o);
  EXPECT_EQ(read.fit_targets(), "400:700:5");
  EXPECT_EQ(read.temperature_end(), 0.5);
}

/// The model `gnnx train --dataset ba-shapes --seed 0` trains (as GNNExplainer's quality test).
std::shared_ptr<gnn::GnnModel> trained_ba_shapes(const datasets::Dataset& ds) {
  gnn::ModelSpec spec;
  spec.in_features = ds.graphs[0].num_features();
  spec.num_classes = ds.num_classes;
  spec.bias_init = 0.1;
  torch::manual_seed(0);
  auto model = gnn::make_model(spec);
  gnn::TrainOptions train;
  train.epochs = 1000;
  train.lr = 0.01;
  train.weight_decay = 5e-4;
  const auto result = gnn::train_node_classifier(*model, ds.graphs[0], train);
  EXPECT_GE(result.test_accuracy, 0.95);
  return model;
}

// The quality bar on BA-Shapes (seed 0, the 60 standard targets): trained on the explained
// targets, and on other nodes (300:400: the first 20 houses, whose nodes are never explained).
// Measured 0.9999 for both; the bar leaves room for other compilers and LibTorch versions.
TEST(PGExplainerQualityTest, BaShapesAucTrainedOnTheTargetsAndOnOthers) {
  const auto ds = datasets::make_synthetic("ba-shapes", 0);
  auto model = trained_ba_shapes(ds);
  const auto options = PGExplainerOptions().symmetric_edges(true);
  const auto same = PGExplainer(options).explain_nodes(*model, ds.graphs[0], ds.eval_targets);
  const auto other = PGExplainer(PGExplainerOptions(options).fit_targets("300:400"))
                         .explain_nodes(*model, ds.graphs[0], ds.eval_targets);
  const double auc_same = explanation_auc(same, ds.gt_edge_mask);
  const double auc_other = explanation_auc(other, ds.gt_edge_mask);
  std::cout << "BA-Shapes PGExplainer AUC: trained on the targets " << auc_same << ", on others "
            << auc_other << "\n";
  EXPECT_GE(auc_same, 0.98);
  EXPECT_GE(auc_other, 0.98);
}

}  // namespace
}  // namespace gnnx::explainers
