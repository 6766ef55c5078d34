#include <gnnx/gnn/sage_conv.h>

#include <gtest/gtest.h>

#include "support/layer_checks.h"

using namespace gnnx::gnn;
using namespace gnnx::testing;

class SAGEConvTest : public ::testing::Test {
 protected:
  void SetUp() override { torch::manual_seed(0); }
};

namespace {

/// lin_l(D⁻¹ A_mask x) + lin_r(x) in double, D the unmasked in-degree (at least 1).
torch::Tensor dense_sage(SAGEConv& conv, const Graph& g, const torch::Tensor& mask = {}) {
  const auto x = g.x().to(torch::kDouble);
  const auto deg = dense_adjacency(g).sum(1).clamp_min(1);
  auto out = dense_linear_reference(dense_adjacency(g, mask).matmul(x) / deg.unsqueeze(1),
                                    conv->lin_l()->weight, conv->lin_l()->bias);
  if (!conv->lin_r().is_empty()) out = out + dense_linear_reference(x, conv->lin_r()->weight);
  if (conv->options().normalize()) out = out / out.norm(2, 1, true).clamp_min(1e-12);
  return out;
}

}  // namespace

TEST_F(SAGEConvTest, MatchesDenseReference) {
  const Graph g = random_graph(20, 50, 5, /*seed=*/51);  // some nodes have no in-edges
  const GcnAdjacency adj(g);
  const auto mask = torch::rand({g.num_edges()});
  for (const auto& options : {SAGEConvOptions(5, 4), SAGEConvOptions(5, 4).root_weight(false),
                              SAGEConvOptions(5, 4).normalize(true).bias(false)}) {
    SAGEConv conv(options);
    EXPECT_TRUE(
        torch::allclose(conv(g.x(), adj).to(torch::kDouble), dense_sage(conv, g), 1e-5, 1e-5));
    EXPECT_TRUE(torch::allclose(conv(g.x(), adj, mask).to(torch::kDouble),
                                dense_sage(conv, g, mask), 1e-5, 1e-5));
  }
}

TEST_F(SAGEConvTest, GradientsInDouble) {
  const Graph g = random_graph(9, 24, 3, /*seed=*/52, torch::kDouble);
  const GcnAdjacency adj(g);
  for (bool normalize : {false, true}) {
    SAGEConv conv(SAGEConvOptions(3, 2).normalize(normalize));
    conv->to(torch::kDouble);
    std::vector<torch::Tensor> params;
    for (auto& p : conv->parameters()) params.push_back(p);
    ASSERT_EQ(params.size(), 3u);  // lin_l.weight, lin_l.bias, lin_r.weight
    expect_gradients_match_finite_differences(
        [&](const torch::Tensor& x, const torch::Tensor& m) { return conv(x, adj, m); }, g.x(),
        torch::rand({g.num_edges()}, torch::kDouble) + 0.5, params);
  }
}

// Mask 0 removes the one message x_j W_l / deg_i from row i and nothing else: the mean still
// divides by the unmasked in-degree (removing the edge would change it).
TEST_F(SAGEConvTest, MaskZeroRemovesExactlyOneMessageWithTheUnmaskedDegree) {
  const Graph g = random_graph(20, 60, 5, /*seed=*/53, torch::kDouble);
  SAGEConv conv(5, 3);
  conv->to(torch::kDouble);
  const GcnAdjacency adj(g);
  const auto full = conv(g.x(), adj);
  const auto deg = dense_adjacency(g).sum(1);
  for (int64_t removed : {0, 30, 59}) {
    auto mask = torch::ones({g.num_edges()}, torch::kDouble);
    mask[removed] = 0;
    const int64_t s = g.edge_index()[0][removed].item<int64_t>();
    const int64_t d = g.edge_index()[1][removed].item<int64_t>();
    auto expected = full.clone();
    expected[d] -= dense_linear_reference(g.x()[s].unsqueeze(0), conv->lin_l()->weight)[0] /
                   deg[d].item<double>();
    EXPECT_TRUE(torch::allclose(conv(g.x(), adj, mask), expected, 1e-12, 1e-12))
        << "edge " << removed;
    if (deg[d].item<double>() > 1) {
      // ... which differs from the graph without the edge, whose mean divides by deg - 1.
      EXPECT_FALSE(torch::allclose(
          conv(g.x(), adj, mask), conv(g.x(), GcnAdjacency(without_edge(g, removed))), 1e-6, 1e-6));
    }
  }
}

TEST_F(SAGEConvTest, MaskOfOnesIsTheUnmaskedLayer) {
  const Graph g = random_graph(20, 60, 5, /*seed=*/54);
  SAGEConv conv(5, 3);
  const GcnAdjacency adj(g);
  expect_mask_of_ones_is_unmasked(
      [&](const torch::Tensor& x, const torch::Tensor& m) { return conv(x, adj, m); }, g);
}

TEST_F(SAGEConvTest, PyGParameterNames) {
  SAGEConv conv(5, 3);
  EXPECT_EQ(tensor_names(conv),
            (std::vector<std::string>{"lin_l.weight", "lin_l.bias", "lin_r.weight"}));
  EXPECT_EQ(conv->named_parameters()["lin_l.weight"].sizes(), torch::IntArrayRef({3, 5}));
  SAGEConv no_root(SAGEConvOptions(5, 3).root_weight(false));
  EXPECT_EQ(tensor_names(no_root), (std::vector<std::string>{"lin_l.weight", "lin_l.bias"}));
}
