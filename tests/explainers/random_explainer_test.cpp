// The random explainer (random_explainer.h): scores in [0, 1), the same for a seed whatever the
// batching, different for another seed, and an AUC near 0.5 on BA-Shapes.

#include <gnnx/datasets/synthetic.h>
#include <gnnx/explainers/metrics.h>
#include <gnnx/explainers/random_explainer.h>

#include <gtest/gtest.h>

#include <vector>

#include "support/builders.h"

namespace gnnx::explainers {
namespace {

std::shared_ptr<gnn::GnnModel> random_model(gnn::Task task, int64_t in, int64_t classes) {
  torch::manual_seed(1);
  gnn::ModelSpec spec;
  spec.task = task;
  spec.in_features = in;
  spec.num_classes = classes;
  spec.hidden = 8;
  return gnn::make_model(spec);
}

void expect_unit_interval(const torch::Tensor& t, int64_t size) {
  ASSERT_TRUE(t.defined());
  EXPECT_EQ(t.numel(), size);
  if (size == 0) return;
  EXPECT_GE(t.min().item<float>(), 0.0f);
  EXPECT_LT(t.max().item<float>(), 1.0f);
}

TEST(RandomExplainerTest, ScoresInTheUnitIntervalForEveryEdgeNodeAndFeature) {
  const auto g = testing::random_graph(40, 150, 5, /*seed=*/2);
  const std::vector<gnn::Graph> graphs = {testing::random_graph(9, 20, 5, 3),
                                          testing::random_graph(12, 30, 5, 4)};
  auto node_model = random_model(gnn::Task::kNodeClassification, 5, 3);
  auto graph_model = random_model(gnn::Task::kGraphClassification, 5, 2);
  const RandomExplainer explainer;
  auto out = explainer.explain_nodes(*node_model, g, std::vector<int64_t>{0, 7, 39});
  const auto graph_out = explainer.explain_graphs(*graph_model, graphs);
  out.insert(out.end(), graph_out.begin(), graph_out.end());
  for (const auto& e : out) {
    EXPECT_EQ(e.method, "random");
    expect_unit_interval(e.edge_mask, e.edge_ids.numel());
    expect_unit_interval(e.node_mask, e.node_ids.numel());
    expect_unit_interval(e.feature_mask, 5);
    EXPECT_GT(e.edge_mask.std().item<float>(), 0.1f);  // not constant
  }
  EXPECT_EQ(out[3].edge_mask.numel(), 20);
}

TEST(RandomExplainerTest, SameSeedSameScoresInAnyBatchOtherSeedOthers) {
  const auto g = testing::random_graph(40, 150, 5, /*seed=*/2);
  auto model = random_model(gnn::Task::kNodeClassification, 5, 3);
  const std::vector<int64_t> nodes = {3, 10, 22};
  const auto together = RandomExplainer().explain_nodes(*model, g, nodes);
  const auto alone =
      RandomExplainer({}, TargetOptions().batch_size(1)).explain_nodes(*model, g, nodes);
  const auto reordered = RandomExplainer().explain_nodes(*model, g, std::vector<int64_t>{22, 3});
  const auto other =
      RandomExplainer(RandomExplainerOptions().seed(1)).explain_nodes(*model, g, nodes);
  for (size_t i = 0; i < nodes.size(); ++i) {
    EXPECT_TRUE(torch::equal(together[i].edge_mask, alone[i].edge_mask));
    EXPECT_TRUE(torch::equal(together[i].node_mask, alone[i].node_mask));
    EXPECT_TRUE(torch::equal(together[i].feature_mask, alone[i].feature_mask));
    EXPECT_FALSE(torch::equal(together[i].edge_mask, other[i].edge_mask));
  }
  EXPECT_TRUE(torch::equal(together[2].edge_mask, reordered[0].edge_mask));
  EXPECT_TRUE(torch::equal(together[0].edge_mask, reordered[1].edge_mask));
  // Neighbouring seeds and targets give unrelated streams.
  EXPECT_NE(target_seed(0, 1), target_seed(1, 0));
  EXPECT_NE(target_seed(0, 1), target_seed(0, 2));
}

// The floor: on BA-Shapes' standard targets the pooled AUC of random scores is near 0.5 (60
// targets, about 80k scored edges: a seed's spread is far below the bar).
TEST(RandomExplainerTest, BaShapesAucIsNearOneHalf) {
  const auto ds = datasets::make_synthetic("ba-shapes", 0);
  auto model =
      random_model(gnn::Task::kNodeClassification, ds.graphs[0].num_features(), ds.num_classes);
  for (uint64_t seed : {0, 1}) {
    const auto out = RandomExplainer(RandomExplainerOptions().seed(seed))
                         .explain_nodes(*model, ds.graphs[0], ds.eval_targets);
    const double auc = explanation_auc(out, ds.gt_edge_mask);
    EXPECT_NEAR(auc, 0.5, 0.03) << "seed " << seed;
  }
}

}  // namespace
}  // namespace gnnx::explainers
