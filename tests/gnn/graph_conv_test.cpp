#include <gnnx/gnn/graph_conv.h>

#include <gtest/gtest.h>

#include <algorithm>

#include "support/layer_checks.h"

using namespace gnnx::gnn;
using namespace gnnx::testing;

class GraphConvTest : public ::testing::Test {
 protected:
  void SetUp() override { torch::manual_seed(0); }
};

namespace {

/// lin_rel(A_mask x) + lin_root(x) in double.
torch::Tensor dense_graph_conv(GraphConv& conv, const Graph& g, const torch::Tensor& mask = {}) {
  const auto x = g.x().to(torch::kDouble);
  return dense_linear_reference(dense_adjacency(g, mask).matmul(x), conv->lin_rel()->weight,
                                conv->lin_rel()->bias) +
         dense_linear_reference(x, conv->lin_root()->weight);
}

}  // namespace

TEST_F(GraphConvTest, MatchesDenseReference) {
  const Graph g = random_graph(20, 70, 5, /*seed=*/41);
  GraphConv conv(5, 4);
  const GcnAdjacency adj(g);
  const auto mask = torch::rand({g.num_edges()});
  EXPECT_TRUE(
      torch::allclose(conv(g.x(), adj).to(torch::kDouble), dense_graph_conv(conv, g), 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(conv(g.x(), adj, mask).to(torch::kDouble),
                              dense_graph_conv(conv, g, mask), 1e-5, 1e-5));
  GraphConv no_bias(GraphConvOptions(5, 4).bias(false));
  EXPECT_TRUE(no_bias->lin_rel()->bias.numel() == 0 || !no_bias->lin_rel()->bias.defined());
  EXPECT_TRUE(torch::allclose(no_bias(g.x(), adj).to(torch::kDouble), dense_graph_conv(no_bias, g),
                              1e-5, 1e-5));
}

TEST_F(GraphConvTest, GradientsInDouble) {
  const Graph g = random_graph(9, 24, 3, /*seed=*/42, torch::kDouble);
  GraphConv conv(3, 2);
  conv->to(torch::kDouble);
  const GcnAdjacency adj(g);
  std::vector<torch::Tensor> params;
  for (auto& p : conv->parameters()) params.push_back(p);
  ASSERT_EQ(params.size(), 3u);  // lin_rel.weight, lin_rel.bias, lin_root.weight
  expect_gradients_match_finite_differences(
      [&](const torch::Tensor& x, const torch::Tensor& m) { return conv(x, adj, m); }, g.x(),
      torch::rand({g.num_edges()}, torch::kDouble) + 0.5, params);
}

TEST_F(GraphConvTest, MaskZeroRemovesExactlyThatEdge) {
  const Graph g = random_graph(20, 60, 5, /*seed=*/43, torch::kDouble);
  GraphConv conv(5, 3);
  conv->to(torch::kDouble);
  for (int64_t removed : {0, 30, 59}) {
    auto mask = torch::ones({g.num_edges()}, torch::kDouble);
    mask[removed] = 0;
    EXPECT_TRUE(torch::allclose(conv(g.x(), GcnAdjacency(g), mask),
                                conv(g.x(), GcnAdjacency(without_edge(g, removed))), 1e-12, 1e-12))
        << "edge " << removed;
  }
}

TEST_F(GraphConvTest, MaskOfOnesIsTheUnmaskedLayer) {
  const Graph g = random_graph(20, 60, 5, /*seed=*/44);
  GraphConv conv(5, 3);
  const GcnAdjacency adj(g);
  expect_mask_of_ones_is_unmasked(
      [&](const torch::Tensor& x, const torch::Tensor& m) { return conv(x, adj, m); }, g);
}

TEST_F(GraphConvTest, PyGParameterNames) {
  GraphConv conv(5, 3);
  const auto names = tensor_names(conv);
  EXPECT_EQ(names, (std::vector<std::string>{"lin_rel.weight", "lin_rel.bias", "lin_root.weight"}));
  EXPECT_EQ(conv->named_parameters()["lin_rel.weight"].sizes(), torch::IntArrayRef({3, 5}));
}
