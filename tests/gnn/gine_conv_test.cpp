#include <gnnx/gnn/gine_conv.h>

#include <gtest/gtest.h>
#include <torch/nn/modules/linear.h>

#include <algorithm>

#include "support/layer_checks.h"

using namespace gnnx::gnn;
using namespace gnnx::testing;

class GINEConvTest : public ::testing::Test {
 protected:
  void SetUp() override { torch::manual_seed(0); }
};

namespace {

/// nn((1 + eps) x_i + Σ_e m_e relu(x_src + lin(e))) in double, edge by edge.
torch::Tensor dense_gine(GINEConv& conv, const Graph& g, const torch::Tensor& mask = {}) {
  const auto x = g.x().to(torch::kDouble);
  auto attr = g.edge_attr().to(torch::kDouble);
  if (!conv->lin().is_empty()) {
    attr = dense_linear_reference(attr, conv->lin()->weight, conv->lin()->bias);
  }
  auto h = (1 + conv->eps().item<double>()) * x;
  for (int64_t e = 0; e < g.num_edges(); ++e) {
    const int64_t s = g.edge_index()[0][e].item<int64_t>();
    const int64_t d = g.edge_index()[1][e].item<int64_t>();
    const double m = mask.defined() ? mask[e].item<double>() : 1.0;
    h[d] += m * torch::relu(x[s] + attr[e]);
  }
  return dense_mlp_reference(conv->nn(), h);
}

}  // namespace

TEST_F(GINEConvTest, MatchesDenseReferenceWithAndWithoutLin) {
  const Graph g = with_edge_features(random_graph(20, 70, 5, /*seed=*/31), 3);
  const GcnAdjacency adj(g);
  GINEConv conv(GINEConvOptions(5, 4).edge_dim(3).eps(0.1));
  const auto mask = torch::rand({g.num_edges()});
  EXPECT_TRUE(torch::allclose(conv(g.x(), adj, g.edge_attr()).to(torch::kDouble),
                              dense_gine(conv, g), 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(conv(g.x(), adj, g.edge_attr(), mask).to(torch::kDouble),
                              dense_gine(conv, g, mask), 1e-5, 1e-5));
  // Without edge_dim the edge features are added as they are (same width as x).
  const Graph same = with_edge_features(random_graph(20, 70, 5, /*seed=*/32), 5);
  GINEConv plain(5, 4);
  EXPECT_TRUE(plain->lin().is_empty());
  EXPECT_TRUE(
      torch::allclose(plain(same.x(), GcnAdjacency(same), same.edge_attr()).to(torch::kDouble),
                      dense_gine(plain, same), 1e-5, 1e-5));
}

TEST_F(GINEConvTest, GradientsInDouble) {
  const Graph g = with_edge_features(random_graph(9, 24, 3, /*seed=*/33, torch::kDouble), 2);
  GINEConv conv(GINEConvOptions(3, 2).edge_dim(2).hidden(4).train_eps(true));
  conv->to(torch::kDouble);
  const GcnAdjacency adj(g);
  const auto mask = torch::rand({g.num_edges()}, torch::kDouble) + 0.5;
  std::vector<torch::Tensor> params;
  for (auto& p : conv->parameters()) params.push_back(p);
  ASSERT_EQ(params.size(), 7u);  // nn.0.*, nn.2.*, lin.*, eps
  expect_gradients_match_finite_differences(
      [&](const torch::Tensor& x, const torch::Tensor& m) {
        return conv(x, adj, g.edge_attr(), m);
      },
      g.x(), mask, params);
}

TEST_F(GINEConvTest, MaskZeroRemovesExactlyThatEdge) {
  const Graph g = with_edge_features(random_graph(20, 60, 5, /*seed=*/34, torch::kDouble), 4);
  GINEConv conv(GINEConvOptions(5, 3).edge_dim(4));
  conv->to(torch::kDouble);
  for (int64_t removed : {0, 21, 59}) {
    auto mask = torch::ones({g.num_edges()}, torch::kDouble);
    mask[removed] = 0;
    const Graph without = without_edge(g, removed);
    EXPECT_TRUE(torch::allclose(conv(g.x(), GcnAdjacency(g), g.edge_attr(), mask),
                                conv(g.x(), GcnAdjacency(without), without.edge_attr()), 1e-12,
                                1e-12))
        << "edge " << removed;
  }
}

TEST_F(GINEConvTest, MaskOfOnesIsTheUnmaskedLayer) {
  const Graph g = with_edge_features(random_graph(20, 60, 5, /*seed=*/35), 4);
  GINEConv conv(GINEConvOptions(5, 3).edge_dim(4));
  const GcnAdjacency adj(g);
  expect_mask_of_ones_is_unmasked(
      [&](const torch::Tensor& x, const torch::Tensor& m) {
        return conv(x, adj, g.edge_attr(), m);
      },
      g);
}

TEST_F(GINEConvTest, PyGParameterNames) {
  GINEConv conv(GINEConvOptions(5, 3).edge_dim(4));
  const auto names = tensor_names(conv);
  for (const char* name : {"nn.0.weight", "nn.0.bias", "nn.2.weight", "nn.2.bias", "lin.weight",
                           "lin.bias", "buffer:eps"}) {
    EXPECT_TRUE(contains(names, name)) << name;
  }
  EXPECT_EQ(conv->named_parameters()["lin.weight"].sizes(), torch::IntArrayRef({5, 4}));
}

TEST_F(GINEConvTest, NeedsEdgeFeaturesOfTheRightWidth) {
  const Graph g = with_edge_features(random_graph(6, 10, 5, /*seed=*/36), 3);
  GINEConv conv(GINEConvOptions(5, 3).edge_dim(4));
  EXPECT_THROW(conv(g.x(), GcnAdjacency(g), g.edge_attr()), c10::Error);
  EXPECT_THROW(conv(g.x(), GcnAdjacency(g), torch::Tensor()), c10::Error);
}
