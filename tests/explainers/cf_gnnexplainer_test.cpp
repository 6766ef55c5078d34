// CF-GNNExplainer (Lucic et al., AISTATS 2022): a counterfactual solved by hand, a target that
// cannot flip, the reported class against an independent forward pass (GCN, GIN, graph task),
// and results that do not depend on the thread count.

#include <gnnx/datasets/synthetic.h>
#include <gnnx/explainers/cf_gnnexplainer.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/threads.h>

#include <gtest/gtest.h>

#include <cstdio>

#include "support/builders.h"

using namespace gnnx;
using explainers::CFGNNExplainer;
using explainers::CFGNNExplainerOptions;
using explainers::Explanation;

namespace {

// One GCN layer (identity weight, no bias) and a head with class-1 logit 20 h[0] - 5 h[1] and
// class-0 logit 8 (as GNNExplainerTest's hand-built model).
std::shared_ptr<gnn::GnnModel> hand_built_model() {
  gnn::ModelSpec spec;
  spec.in_features = 2;
  spec.num_classes = 2;
  spec.hidden = 2;
  spec.num_layers = 1;
  auto model = std::dynamic_pointer_cast<gnn::NodeClassifierImpl>(gnn::make_model(spec));
  torch::NoGradGuard no_grad;
  model->named_parameters()["conv0.weight"].copy_(torch::eye(2));
  model->named_parameters()["conv0.bias"].zero_();
  model->head()->weight.copy_(torch::tensor({{0.f, 0.f}, {20.f, -5.f}}));
  model->head()->bias.copy_(torch::tensor({8.f, 0.f}));
  return model;
}

// The mask that deletes e's counterfactual edges from a graph of num_edges edges.
torch::Tensor deletion_mask(const Explanation& e, int64_t num_edges) {
  auto mask = torch::ones({num_edges});
  mask.index_fill_(0, e.counterfactual->deleted_edges, 0.0);
  return mask;
}

// Checks e's counterfactual against the model's own prediction on the graph with its edges
// deleted (logits: that prediction's logits of the target).
void expect_consistent(const Explanation& e, const torch::Tensor& logits) {
  ASSERT_TRUE(e.counterfactual.has_value());
  const auto& cf = *e.counterfactual;
  if (!cf.flipped) {
    EXPECT_EQ(cf.deleted_edges.numel(), 0);
    EXPECT_EQ(cf.new_class, -1);
    return;
  }
  const auto probs = torch::softmax(logits.to(torch::kDouble), 0);
  EXPECT_EQ(cf.new_class, probs.argmax().item<int64_t>());
  EXPECT_NE(cf.new_class, e.explained_class);
  EXPECT_NEAR(cf.new_probability, probs[cf.new_class].item<double>(), 1e-5);
  EXPECT_GE(cf.size, 1);
  // The deleted edges are edges of the explanation, and exactly those scoring above 0.5.
  for (int64_t k = 0; k < e.edge_ids.numel(); ++k) {
    const bool deleted = (cf.deleted_edges == e.edge_ids[k]).any().item<bool>();
    EXPECT_EQ(deleted, e.edge_mask[k].item<float>() > 0.5f) << "edge " << k;
  }
}

std::shared_ptr<gnn::GnnModel> random_model(gnn::Task task, gnn::Architecture arch, int64_t in,
                                            int64_t classes, uint64_t seed) {
  torch::manual_seed(seed);
  gnn::ModelSpec spec;
  spec.task = task;
  spec.arch = arch;
  spec.in_features = in;
  spec.num_classes = classes;
  spec.hidden = 8;
  spec.bias_init = 0.1;
  auto model = gnn::make_model(spec);
  model->eval();
  return model;
}

}  // namespace

// Target 0 reads node 1 ([1, 0]) and node 2 ([0, 1]), each with norm 1/sqrt(3): class-1 logit
// (20 m1 - 5 m2)/sqrt(3) against 8. Kept: 8.66 > 8, class 1. Deleting 1 -> 0 alone gives -2.89
// (class 0); deleting 2 -> 0 alone gives 11.55 (still class 1). So {1 -> 0} is the one
// counterfactual of size 1.
TEST(CFGNNExplainerTest, FindsTheOneEdgeWhoseDeletionFlipsAHandBuiltModel) {
  auto model = hand_built_model();
  const gnn::Graph g(3, torch::tensor({{1, 2}, {0, 0}}, torch::kLong),
                     torch::tensor({{0.f, 0.f}, {1.f, 0.f}, {0.f, 1.f}}));
  const auto e = CFGNNExplainer().explain_nodes(*model, g, torch::tensor({0}))[0];
  EXPECT_EQ(e.method, "cf-gnnexplainer");
  EXPECT_EQ(e.predicted_class, 1);
  ASSERT_TRUE(e.counterfactual.has_value());
  const auto& cf = *e.counterfactual;
  EXPECT_TRUE(cf.flipped);
  EXPECT_EQ(cf.size, 1);
  ASSERT_EQ(cf.deleted_edges.numel(), 1);
  EXPECT_EQ(cf.deleted_edges[0].item<int64_t>(), 0);  // 1 -> 0
  EXPECT_EQ(cf.new_class, 0);
  torch::NoGradGuard no_grad;
  const auto logits = model->logits(g.x(), gnn::GcnAdjacency(g), deletion_mask(e, 2))[0];
  expect_consistent(e, logits);
  // By hand: class-1 logit -5/sqrt(3) against 8.
  const double p0 = 1.0 / (1.0 + std::exp(-5.0 / std::sqrt(3.0) - 8.0));
  EXPECT_NEAR(cf.new_probability, p0, 1e-5);
}

// Target 0 reads only node 2 ([0, 1]): class-1 logit -5/sqrt(2), or 0 without the edge; both
// below 8, so no deletion flips class 0.
TEST(CFGNNExplainerTest, ReportsNoCounterfactualWhereNoneExists) {
  auto model = hand_built_model();
  const gnn::Graph g(3, torch::tensor({{2, 1}, {0, 2}}, torch::kLong),
                     torch::tensor({{0.f, 0.f}, {1.f, 0.f}, {0.f, 1.f}}));
  const auto e = CFGNNExplainer(CFGNNExplainerOptions().epochs(100))
                     .explain_nodes(*model, g, torch::tensor({0}))[0];
  EXPECT_EQ(e.predicted_class, 0);
  ASSERT_TRUE(e.counterfactual.has_value());
  EXPECT_FALSE(e.counterfactual->flipped);
  EXPECT_EQ(e.counterfactual->size, 0);
  EXPECT_EQ(e.counterfactual->deleted_edges.numel(), 0);
  EXPECT_EQ(e.counterfactual->new_class, -1);
  EXPECT_TRUE(std::isnan(e.counterfactual->new_probability));
}

// On a GCN and a GIN node model, on a directed random graph with N(0, 1) features and on
// undirected BA-Shapes: every counterfactual's class is the model's prediction on the whole
// graph with those edges deleted; the undirected graph's pairs are deleted together.
TEST(CFGNNExplainerTest, NewClassIsTheModelsPredictionWithoutTheDeletedEdges) {
  const auto ba = datasets::make_synthetic("ba-shapes", 0).graphs[0];
  const auto random = gnnx::testing::random_graph(60, 240, 5, /*seed=*/4);
  for (const auto* graph : {&random, &ba}) {
    const auto& g = *graph;
    const bool undirected = graph == &ba;
    const gnn::GcnAdjacency adj(g);
    const auto ei = g.edge_index();
    const auto targets = undirected ? torch::tensor({300, 301, 400, 512, 640, 20}, torch::kLong)
                                    : torch::arange(0, 60, 3, torch::kLong);
    for (auto arch : {gnn::Architecture::kGcn, gnn::Architecture::kGin}) {
      SCOPED_TRACE(gnn::to_string(arch) + (undirected ? " ba-shapes" : " random"));
      auto model = random_model(gnn::Task::kNodeClassification, arch, g.num_features(), 4, 3);
      const auto explanations = CFGNNExplainer(CFGNNExplainerOptions().epochs(200).lr(1.0))
                                    .explain_nodes(*model, g, targets);
      int64_t flipped = 0;
      for (const auto& e : explanations) {
        torch::NoGradGuard no_grad;
        const auto logits = model->logits(g.x(), adj, deletion_mask(e, g.num_edges()))[e.target];
        expect_consistent(e, logits);
        const auto& cf = *e.counterfactual;
        if (!cf.flipped) continue;
        ++flipped;
        // On the undirected graph both directions of every deleted edge; size counts each
        // pair once.
        EXPECT_EQ(cf.deleted_edges.numel(), (undirected ? 2 : 1) * cf.size);
        for (int64_t k = 0; undirected && k < cf.deleted_edges.numel(); ++k) {
          const int64_t id = cf.deleted_edges[k].item<int64_t>();
          const auto reverse = ((ei[0] == ei[1][id]) & (ei[1] == ei[0][id])).nonzero();
          EXPECT_TRUE((cf.deleted_edges == reverse[0][0]).any().item<bool>());
        }
      }
      std::printf("%s %s: %lld of %lld flipped\n", gnn::to_string(arch).c_str(),
                  undirected ? "ba-shapes" : "random", static_cast<long long>(flipped),
                  static_cast<long long>(explanations.size()));
      if (!undirected) {
        EXPECT_GT(flipped, 0);  // the check above must have checked something
      }
    }
  }
}

// Graph task: the counterfactual's class is the graph's prediction with the edges deleted.
TEST(CFGNNExplainerTest, ExplainsGraphClassifiers) {
  std::vector<gnn::Graph> graphs;
  for (uint64_t seed = 0; seed < 6; ++seed) {
    graphs.push_back(gnnx::testing::random_graph(12, 30, 4, /*seed=*/seed));
  }
  auto model = random_model(gnn::Task::kGraphClassification, gnn::Architecture::kGcn,
                            graphs[0].num_features(), 2, 1);
  const auto explanations =
      CFGNNExplainer(CFGNNExplainerOptions().lr(1.0).momentum(0.9)).explain_graphs(*model, graphs);
  ASSERT_EQ(explanations.size(), graphs.size());
  int64_t flipped = 0;
  for (const auto& e : explanations) {
    const auto& g = graphs[e.target];
    torch::NoGradGuard no_grad;
    const auto logits =
        model->logits(g.x(), gnn::GcnAdjacency(g), deletion_mask(e, g.num_edges()))[0];
    expect_consistent(e, logits);
    flipped += e.counterfactual->flipped;
  }
  EXPECT_GT(flipped, 0);
}

// The same counterfactuals with one worker thread and with three (other groups, other
// batches), and with every target alone.
TEST(CFGNNExplainerTest, SameResultForAnyThreadCountAndBatch) {
  const auto ds = datasets::make_synthetic("ba-shapes", 0);
  const auto& g = ds.graphs[0];
  auto model =
      random_model(gnn::Task::kNodeClassification, gnn::Architecture::kGcn, g.num_features(), 4, 3);
  const auto targets = torch::tensor({300, 301, 400, 512, 640}, torch::kLong);
  auto options = CFGNNExplainerOptions().epochs(60).momentum(0.9);
  const int before = gnn::worker_threads();
  gnn::set_worker_threads(1);
  const auto one = CFGNNExplainer(options).explain_nodes(*model, g, targets);
  gnn::set_worker_threads(3);
  const auto three = CFGNNExplainer(options).explain_nodes(*model, g, targets);
  gnn::set_worker_threads(1);
  const auto alone = CFGNNExplainer(options.batch_size(1)).explain_nodes(*model, g, targets);
  gnn::set_worker_threads(before);
  for (const auto* other : {&three, &alone}) {
    ASSERT_EQ(other->size(), one.size());
    for (size_t i = 0; i < one.size(); ++i) {
      // Scores to float rounding (the model's products may round differently in another
      // batch: measured 1 ulp), the counterfactuals exactly.
      EXPECT_TRUE(torch::allclose((*other)[i].edge_mask, one[i].edge_mask, 0, 1e-6)) << i;
      EXPECT_EQ((*other)[i].counterfactual->flipped, one[i].counterfactual->flipped);
      EXPECT_TRUE(torch::equal((*other)[i].counterfactual->deleted_edges,
                               one[i].counterfactual->deleted_edges));
      EXPECT_EQ((*other)[i].counterfactual->new_class, one[i].counterfactual->new_class);
    }
  }
}

TEST(CFGNNExplainerTest, RejectsBadOptions) {
  EXPECT_THROW(CFGNNExplainer(CFGNNExplainerOptions().epochs(0)), InputError);
  EXPECT_THROW(CFGNNExplainer(CFGNNExplainerOptions().lr(0)), InputError);
  EXPECT_THROW(CFGNNExplainer(CFGNNExplainerOptions().momentum(1)), InputError);
  EXPECT_THROW(CFGNNExplainer(CFGNNExplainerOptions().momentum(-0.1)), InputError);
}
