#include <gnnx/gnn/gin_conv.h>

#include <gtest/gtest.h>
#include <torch/nn/modules/linear.h>

#include <algorithm>

#include "support/layer_checks.h"

using namespace gnnx::gnn;
using namespace gnnx::testing;

class GINConvTest : public ::testing::Test {
 protected:
  void SetUp() override { torch::manual_seed(0); }
};

namespace {

/// nn((1 + eps) x + A_mask x) in double, from the layer's own parameters.
torch::Tensor dense_gin(GINConv& conv, const Graph& g, const torch::Tensor& mask = {}) {
  const auto x = g.x().to(torch::kDouble);
  auto h = (1 + conv->eps().item<double>()) * x + dense_adjacency(g, mask).matmul(x);
  return dense_mlp_reference(conv->nn(), h);
}

}  // namespace

TEST_F(GINConvTest, MatchesDenseReference) {
  const Graph g = random_graph(20, 70, 5, /*seed=*/21);
  GINConv conv(GINConvOptions(5, 4).eps(0.3));
  const auto mask = torch::rand({g.num_edges()});
  EXPECT_TRUE(torch::allclose(conv(g.x(), GcnAdjacency(g)).to(torch::kDouble), dense_gin(conv, g),
                              1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(conv(g.x(), GcnAdjacency(g), mask).to(torch::kDouble),
                              dense_gin(conv, g, mask), 1e-5, 1e-5));
}

TEST_F(GINConvTest, GradientsInDoubleIncludingLearnedEps) {
  const Graph g = random_graph(9, 24, 3, /*seed=*/22, torch::kDouble);
  GINConv conv(GINConvOptions(3, 2).hidden(4).train_eps(true).eps(0.2));
  conv->to(torch::kDouble);
  const GcnAdjacency adj(g);
  const auto mask = torch::rand({g.num_edges()}, torch::kDouble) + 0.5;
  std::vector<torch::Tensor> params;
  for (auto& p : conv->parameters()) params.push_back(p);
  ASSERT_EQ(params.size(), 5u);  // nn.0.weight, nn.0.bias, nn.2.weight, nn.2.bias, eps
  expect_gradients_match_finite_differences(
      [&](const torch::Tensor& x, const torch::Tensor& m) { return conv(x, adj, m); }, g.x(), mask,
      params);
}

TEST_F(GINConvTest, MaskZeroRemovesExactlyThatEdge) {
  const Graph g = random_graph(20, 60, 5, /*seed=*/23, torch::kDouble);
  GINConv conv(GINConvOptions(5, 3).eps(-0.2));
  conv->to(torch::kDouble);
  for (int64_t removed : {0, 17, 59}) {
    auto mask = torch::ones({g.num_edges()}, torch::kDouble);
    mask[removed] = 0;
    const Graph without = without_edge(g, removed);
    EXPECT_TRUE(torch::allclose(conv(g.x(), GcnAdjacency(g), mask),
                                conv(g.x(), GcnAdjacency(without)), 1e-12, 1e-12))
        << "edge " << removed;
  }
}

TEST_F(GINConvTest, MaskOfOnesIsTheUnmaskedLayer) {
  const Graph g = random_graph(20, 60, 5, /*seed=*/24);
  GINConv conv(5, 3);
  const GcnAdjacency adj(g);
  expect_mask_of_ones_is_unmasked(
      [&](const torch::Tensor& x, const torch::Tensor& m) { return conv(x, adj, m); }, g);
}

TEST_F(GINConvTest, PyGParameterNames) {
  GINConv fixed(GINConvOptions(5, 3).hidden(7));
  const auto names = tensor_names(fixed);
  for (const char* name : {"nn.0.weight", "nn.0.bias", "nn.2.weight", "nn.2.bias", "buffer:eps"}) {
    EXPECT_TRUE(contains(names, name)) << name;
  }
  EXPECT_EQ(names.size(), 5u);
  EXPECT_EQ(fixed->named_parameters()["nn.0.weight"].sizes(), torch::IntArrayRef({7, 5}));
  EXPECT_EQ(fixed->named_parameters()["nn.2.weight"].sizes(), torch::IntArrayRef({3, 7}));
  GINConv learned(GINConvOptions(5, 3).train_eps(true).eps(0.5));
  EXPECT_TRUE(contains(tensor_names(learned), "eps"));
  EXPECT_DOUBLE_EQ(learned->eps().item<double>(), 0.5);
  GINConv three(GINConvOptions(5, 3).mlp_layers(3));
  EXPECT_TRUE(contains(tensor_names(three), "nn.4.weight"));
}

TEST_F(GINConvTest, RejectsWrongShapes) {
  const Graph g = random_graph(6, 10, 5, /*seed=*/25);
  GINConv conv(4, 3);
  EXPECT_THROW(conv(g.x(), GcnAdjacency(g)), c10::Error);
  GINConv right(5, 3);
  EXPECT_THROW(right(g.x(), GcnAdjacency(g), torch::ones({3})), c10::Error);
}
