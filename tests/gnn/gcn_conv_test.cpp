#include <gnnx/gnn/gcn_conv.h>

#include <ATen/Parallel.h>
#include <gtest/gtest.h>

#include "support/builders.h"

using namespace gnnx::gnn;
using gnnx::testing::dense_gcn_matrix;
using gnnx::testing::numeric_gradient;
using gnnx::testing::random_graph;

class GCNConvTest : public ::testing::Test {
 protected:
  void SetUp() override { torch::manual_seed(0); }
};

TEST_F(GCNConvTest, MatchesDenseReference) {
  const Graph g = random_graph(25, 90, 6, /*seed=*/11);
  const GcnAdjacency adj(g);
  GCNConv conv(6, 4);
  torch::NoGradGuard no_grad;
  conv->bias.uniform_(-1, 1);
  auto expected = dense_gcn_matrix(g, {}, EdgeWeightMode::kMask)
                      .matmul(g.x().to(torch::kDouble).matmul(conv->weight.to(torch::kDouble))) +
                  conv->bias.to(torch::kDouble);
  EXPECT_TRUE(torch::allclose(conv(g.x(), adj).to(torch::kDouble), expected, 1e-5, 1e-5));
}

TEST_F(GCNConvTest, BiasStartsAtBiasInit) {
  EXPECT_TRUE(torch::equal(GCNConv(6, 4)->bias, torch::zeros({4})));  // Kipf & Welling, PyG
  GCNConv conv(GCNConvOptions(6, 4).bias_init(0.1));
  EXPECT_TRUE(torch::equal(conv->bias, torch::full({4}, 0.1)));
  EXPECT_EQ(conv->bias.scalar_type(), conv->weight.scalar_type());
  EXPECT_TRUE(conv->bias.requires_grad());
}

TEST_F(GCNConvTest, MaskMultipliesNormalisedMessages) {
  const Graph g = random_graph(25, 90, 6, /*seed=*/12);
  const GcnAdjacency adj(g);
  GCNConv conv(GCNConvOptions(6, 4).bias(false));
  auto mask = torch::rand({g.num_edges()});
  auto expected = dense_gcn_matrix(g, mask, EdgeWeightMode::kMask)
                      .matmul(g.x().to(torch::kDouble).matmul(conv->weight.to(torch::kDouble)));
  EXPECT_TRUE(torch::allclose(conv(g.x(), adj, mask).to(torch::kDouble), expected, 1e-5, 1e-5));
  // A zero mask leaves only the self-loop message, normalised on the unmasked graph.
  auto self_only = conv(g.x(), adj, torch::zeros({g.num_edges()}));
  auto xw = g.x().matmul(conv->weight);
  EXPECT_TRUE(torch::allclose(self_only, adj.self_norm().to(torch::kFloat).unsqueeze(1) * xw,
                              1e-5, 1e-6));
}

TEST_F(GCNConvTest, AdjacencyWeightsMatchDenseReference) {
  const Graph g = random_graph(25, 90, 6, /*seed=*/13);
  const GcnAdjacency adj(g);
  GCNConv conv(GCNConvOptions(6, 4).edge_weight_mode(EdgeWeightMode::kAdjacency));
  auto w = torch::rand({g.num_edges()}) * 2;
  auto expected = dense_gcn_matrix(g, w, EdgeWeightMode::kAdjacency)
                      .matmul(g.x().to(torch::kDouble).matmul(conv->weight.to(torch::kDouble)));
  EXPECT_TRUE(torch::allclose(conv(g.x(), adj, w).to(torch::kDouble), expected, 1e-5, 1e-5));
}

TEST_F(GCNConvTest, EdgeWeightZeroEqualsRemovingTheEdge) {
  const Graph g = random_graph(20, 60, 5, /*seed=*/14);
  GCNConv conv(GCNConvOptions(5, 3).edge_weight_mode(EdgeWeightMode::kAdjacency));
  const int64_t removed = 17;
  auto w = torch::ones({g.num_edges()});
  w[removed] = 0;
  auto keep = torch::ones({g.num_edges()}, torch::kBool);
  keep[removed] = false;
  const Graph without(g.num_nodes(), g.edge_index().index({torch::indexing::Slice(), keep}), g.x());
  EXPECT_TRUE(torch::allclose(conv(g.x(), GcnAdjacency(g), w),
                              conv(g.x(), GcnAdjacency(without)), 1e-6, 1e-6));
}

TEST_F(GCNConvTest, GradientsOfFeaturesWeightsAndEdgeWeightsInDouble) {
  const Graph g = random_graph(10, 30, 3, /*seed=*/15, torch::kDouble);
  const GcnAdjacency adj(g);
  for (auto mode : {EdgeWeightMode::kMask, EdgeWeightMode::kAdjacency}) {
    GCNConv conv(GCNConvOptions(3, 2).edge_weight_mode(mode));
    conv->to(torch::kDouble);
    auto x = g.x().clone().requires_grad_();
    auto w = (torch::rand({g.num_edges()}, torch::kDouble) + 0.5).requires_grad_();
    auto probe = torch::randn({g.num_nodes(), 2}, torch::kDouble);
    (conv(x, adj, w) * probe).sum().backward();
    auto loss = [&](const torch::Tensor& xx, const torch::Tensor& ww) {
      torch::NoGradGuard no_grad;
      return (conv(xx, adj, ww) * probe).sum().item<double>();
    };
    auto weight = conv->weight;
    auto loss_weight = [&](const torch::Tensor& wt) {
      torch::NoGradGuard no_grad;
      auto saved = weight.clone();
      weight.copy_(wt);
      const double l = (conv(x, adj, w) * probe).sum().item<double>();
      weight.copy_(saved);
      return l;
    };
    EXPECT_TRUE(torch::allclose(
        x.grad(), numeric_gradient([&](const torch::Tensor& t) { return loss(t, w); }, x), 1e-6,
        1e-7));
    EXPECT_TRUE(torch::allclose(
        w.grad(), numeric_gradient([&](const torch::Tensor& t) { return loss(x, t); }, w), 1e-6,
        1e-7));
    EXPECT_TRUE(torch::allclose(weight.grad(), numeric_gradient(loss_weight, weight), 1e-6, 1e-7));
  }
}

TEST_F(GCNConvTest, IdenticalAcrossThreadCounts) {
  const Graph g = random_graph(2000, 40000, 16, /*seed=*/16);
  const GcnAdjacency adj(g);
  GCNConv conv(16, 16);
  auto mask = torch::rand({g.num_edges()});
  auto run = [&](int threads) {
    at::set_num_threads(threads);
    auto m = mask.clone().requires_grad_();
    conv->zero_grad();
    auto out = conv(g.x(), adj, m);
    out.pow(2).sum().backward();
    return std::make_tuple(out.detach(), m.grad().clone(), conv->weight.grad().clone());
  };
  const auto a = run(1);
  const auto b = run(3);
  EXPECT_TRUE(torch::equal(std::get<0>(a), std::get<0>(b)));
  EXPECT_TRUE(torch::equal(std::get<1>(a), std::get<1>(b)));
  EXPECT_TRUE(torch::equal(std::get<2>(a), std::get<2>(b)));
}

TEST_F(GCNConvTest, RejectsWrongShapes) {
  const Graph g = random_graph(10, 20, 3, /*seed=*/1);
  const GcnAdjacency adj(g);
  GCNConv conv(3, 2);
  EXPECT_THROW(conv(torch::ones({10, 4}), adj), c10::Error);
  EXPECT_THROW(conv(g.x(), adj, torch::ones({19})), c10::Error);
  EXPECT_THROW(GCNConv(0, 2), c10::Error);
}
