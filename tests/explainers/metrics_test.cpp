#include <gnnx/explainers/metrics.h>
#include <gnnx/gnn/error.h>

#include <gtest/gtest.h>

#include <cmath>

using namespace gnnx;
using explainers::Explanation;

TEST(MetricsTest, RocAucByHand) {
  // Pairs (pos, neg): (0.35 vs 0.1) win, (0.35 vs 0.4) lose, (0.8 vs both) win -> 3/4.
  EXPECT_DOUBLE_EQ(
      explainers::roc_auc(torch::tensor({0.1, 0.4, 0.35, 0.8}), torch::tensor({0, 0, 1, 1})), 0.75);
  // A tie between a positive and a negative counts one half.
  EXPECT_DOUBLE_EQ(explainers::roc_auc(torch::tensor({0.5, 0.5}), torch::tensor({0, 1})), 0.5);
  EXPECT_TRUE(std::isnan(explainers::roc_auc(torch::tensor({0.5, 0.7}), torch::tensor({1, 1}))));
  EXPECT_THROW(explainers::roc_auc(torch::tensor({0.5}), torch::tensor({1, 0})), InputError);
}

TEST(MetricsTest, ExplanationAucAndPrecisionPoolTargets) {
  Explanation a;
  a.edge_ids = torch::tensor({0, 1, 2}, torch::kLong);
  a.edge_mask = torch::tensor({0.9f, 0.2f, 0.1f});
  Explanation b;
  b.edge_ids = torch::tensor({2, 3}, torch::kLong);
  b.edge_mask = torch::tensor({0.3f, 0.8f});
  const std::vector<torch::Tensor> gt{torch::tensor({1, 0, 0, 1}, torch::kBool)};
  // Pooled scores: pos {0.9, 0.8}, neg {0.2, 0.1, 0.3}: perfect.
  EXPECT_DOUBLE_EQ(explainers::explanation_auc({a, b}, gt), 1.0);
  EXPECT_DOUBLE_EQ(explainers::precision_at_k({a, b}, gt), 1.0);
  b.edge_mask = torch::tensor({0.8f, 0.3f});
  EXPECT_DOUBLE_EQ(explainers::precision_at_k({a, b}, gt), 0.5);
}

TEST(MetricsTest, CountsExplanationsThatRankNoEdge) {
  Explanation zero, ranked, constant, single, none;
  zero.edge_mask = torch::zeros({4});
  ranked.edge_mask = torch::tensor({0.0f, 0.0f, 1e-6f});
  constant.edge_mask = torch::full({3}, 0.7);
  single.edge_mask = torch::tensor({0.0f});
  EXPECT_EQ(explainers::count_flat_edge_masks({zero, ranked, constant, single, none}), 2);
  EXPECT_EQ(explainers::count_flat_edge_masks({ranked}), 0);
}

// Two triangles (motifs 0 and 1: nodes 0-2 and 3-5) joined by the base node 6 (edges 2-6, 6-3).
// A target in motif 0 whose subgraph also reaches motif 1: only its own triangle is positive.
TEST(MetricsTest, OwnMotifAucCountsOnlyTheTargetsMotif) {
  const auto ei = torch::tensor({{0, 1, 1, 2, 0, 2, 3, 4, 4, 5, 3, 5, 2, 6, 6, 3},
                                 {1, 0, 2, 1, 2, 0, 4, 3, 5, 4, 5, 3, 6, 2, 3, 6}},
                                torch::kLong);
  const gnn::Graph g(7, ei, torch::ones({7, 1}));
  const auto motif_id = torch::tensor({0, 0, 0, 1, 1, 1, -1}, torch::kLong);
  Explanation e;
  e.target = 0;
  e.edge_ids = torch::tensor({0, 2, 4, 6, 12}, torch::kLong);  // 0-1, 1-2, 0-2, 3-4, 2-6
  e.edge_mask = torch::tensor({0.9, 0.8, 0.3, 0.7, 0.5});
  // Own positives {0.9, 0.8, 0.3} against {0.7, 0.5}: 2 + 2 + 0 wins of 6 pairs.
  EXPECT_DOUBLE_EQ(explainers::own_motif_auc({e}, g, motif_id), 4.0 / 6.0);
  // The pooled AUC also counts motif 1's edge (0.7) as positive: 3 + 3 + 1 wins of 4 · 1 pairs.
  const std::vector<torch::Tensor> gt{
      (motif_id.index_select(0, ei[0]) == motif_id.index_select(0, ei[1])) &
      motif_id.index_select(0, ei[0]).ge(0)};
  EXPECT_DOUBLE_EQ(explainers::explanation_auc({e}, gt), 3.0 / 4.0);
  // A target on the base is skipped; with no target in a motif the AUC is NaN.
  Explanation base = e;
  base.target = 6;
  EXPECT_DOUBLE_EQ(explainers::own_motif_auc({e, base}, g, motif_id), 4.0 / 6.0);
  EXPECT_TRUE(std::isnan(explainers::own_motif_auc({base}, g, motif_id)));
  EXPECT_THROW(explainers::own_motif_auc({e}, g, torch::zeros({3}, torch::kLong)), InputError);
}

TEST(MetricsTest, CharacterizationScoreIsHarmonicMean) {
  EXPECT_NEAR(explainers::characterization_score(0.8, 0.2), 0.8, 1e-12);
  EXPECT_NEAR(explainers::characterization_score(0.6, 0.0), 0.75, 1e-12);
  EXPECT_EQ(explainers::characterization_score(0.0, 0.5), 0.0);
}

TEST(MetricsTest, MotifRecoveryFindsAHouse) {
  // Graph: a house on 0..4 (edges both ways) plus a pendant node 5 joined to 4.
  std::vector<std::pair<int64_t, int64_t>> und{{0, 1}, {1, 2}, {2, 3}, {3, 0},
                                               {4, 0}, {4, 1}, {4, 5}};
  std::vector<int64_t> src, dst;
  for (auto [u, v] : und) {
    src.insert(src.end(), {u, v});
    dst.insert(dst.end(), {v, u});
  }
  const gnn::Graph graph(6, torch::stack({torch::tensor(src), torch::tensor(dst)}),
                         torch::ones({6, 1}));
  std::vector<int64_t> hs, hd;
  for (int i = 0; i < 6; ++i) {
    hs.insert(hs.end(), {und[i].first, und[i].second});
    hd.insert(hd.end(), {und[i].second, und[i].first});
  }
  const gnn::Graph house(5, torch::stack({torch::tensor(hs), torch::tensor(hd)}), torch::Tensor());
  Explanation good;
  good.edge_ids = torch::arange(14, torch::kLong);
  good.edge_mask = torch::cat({torch::ones({12}), torch::zeros({2})});
  Explanation bad = good;
  bad.edge_mask = torch::cat({torch::zeros({2}), torch::ones({12})});  // drops 0-1, keeps 4-5
  EXPECT_DOUBLE_EQ(explainers::motif_recovery({good}, graph, house), 1.0);
  EXPECT_DOUBLE_EQ(explainers::motif_recovery({good, bad}, graph, house), 0.5);
}
