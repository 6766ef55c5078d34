#include <gnnx/gnn/gat_conv.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "support/layer_checks.h"

using namespace gnnx::gnn;
using namespace gnnx::testing;

class GATConvTest : public ::testing::Test {
 protected:
  void SetUp() override { torch::manual_seed(0); }
};

namespace {

/// GATConv written out node by node in double: for each target, the logits of its incoming
/// edges (the graph's own self-loops left out) and of one added self-loop whose edge features
/// are the mean of the other incoming ones, a plain softmax, messages times the mask.
torch::Tensor dense_gat(GATConv& conv, const Graph& g, const torch::Tensor& mask = {}) {
  const auto& o = conv->options();
  const int64_t n = g.num_nodes(), heads = o.heads(), c = o.out_features();
  const auto h = dense_linear_reference(g.x(), conv->lin()->weight).view({n, heads, c});
  const auto att_src = conv->att_src().to(torch::kDouble)[0];  // [heads, C]
  const auto att_dst = conv->att_dst().to(torch::kDouble)[0];
  torch::Tensor edge_h;  // [E, heads, C] transformed edge features
  if (o.edge_dim() > 0) {
    edge_h = dense_linear_reference(g.edge_attr(), conv->lin_edge()->weight)
                 .view({g.num_edges(), heads, c});
  }
  auto out = torch::zeros({n, heads, c}, torch::kDouble);
  for (int64_t i = 0; i < n; ++i) {
    std::vector<int64_t> in_edges;
    for (int64_t e = 0; e < g.num_edges(); ++e) {
      if (g.edge_index()[1][e].item<int64_t>() == i && g.edge_index()[0][e].item<int64_t>() != i)
        in_edges.push_back(e);
    }
    for (int64_t k = 0; k < heads; ++k) {
      std::vector<double> logits, weights;
      std::vector<torch::Tensor> messages;
      auto logit = [&](int64_t j, const torch::Tensor& edge) {
        double z = (h[j][k] * att_src[k]).sum().item<double>() +
                   (h[i][k] * att_dst[k]).sum().item<double>();
        if (edge.defined()) {
          z += (edge * conv->att_edge().to(torch::kDouble)[0][k]).sum().item<double>();
        }
        return z > 0 ? z : o.negative_slope() * z;
      };
      for (int64_t e : in_edges) {
        const int64_t j = g.edge_index()[0][e].item<int64_t>();
        logits.push_back(logit(j, edge_h.defined() ? edge_h[e][k] : torch::Tensor()));
        weights.push_back(mask.defined() ? mask[e].item<double>() : 1.0);
        messages.push_back(h[j][k]);
      }
      if (o.add_self_loops()) {
        torch::Tensor loop;
        if (edge_h.defined()) {
          loop = torch::zeros({c}, torch::kDouble);
          for (int64_t e : in_edges) loop += edge_h[e][k];
          if (!in_edges.empty()) loop /= static_cast<double>(in_edges.size());
        }
        logits.push_back(logit(i, loop));
        weights.push_back(1.0);  // the added self-loop is never masked
        messages.push_back(h[i][k]);
      }
      double total = 0;
      for (double z : logits) total += std::exp(z);
      for (size_t t = 0; t < logits.size(); ++t) {
        out[i][k] += weights[t] * std::exp(logits[t]) / total * messages[t];
      }
    }
  }
  auto result = o.concat() ? out.reshape({n, heads * c}) : out.mean(1);
  return conv->bias().defined() ? result + conv->bias().to(torch::kDouble) : result;
}

}  // namespace

TEST_F(GATConvTest, MatchesDenseReference) {
  const Graph g = random_graph(15, 50, 5, /*seed=*/61);
  const GcnAdjacency adj(g);
  const auto mask = torch::rand({g.num_edges()});
  for (const auto& options : {GATConvOptions(5, 3), GATConvOptions(5, 3).heads(3),
                              GATConvOptions(5, 3).heads(2).concat(false),
                              GATConvOptions(5, 3).heads(2).add_self_loops(false).bias(false)}) {
    GATConv conv(options);
    torch::NoGradGuard no_grad;
    if (conv->bias().defined()) conv->bias().uniform_(-1, 1);
    EXPECT_TRUE(
        torch::allclose(conv(g.x(), adj).to(torch::kDouble), dense_gat(conv, g), 1e-5, 1e-5));
    EXPECT_TRUE(torch::allclose(conv(g.x(), adj, torch::Tensor(), mask).to(torch::kDouble),
                                dense_gat(conv, g, mask), 1e-5, 1e-5));
  }
}

TEST_F(GATConvTest, EdgeFeaturesEnterTheAttentionAndTheSelfLoopsTakeTheirMean) {
  const Graph g = with_edge_features(random_graph(15, 50, 5, /*seed=*/62), 3);
  GATConv conv(GATConvOptions(5, 2).heads(2).edge_dim(3));
  const auto mask = torch::rand({g.num_edges()});
  EXPECT_TRUE(torch::allclose(conv(g.x(), GcnAdjacency(g), g.edge_attr()).to(torch::kDouble),
                              dense_gat(conv, g), 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(conv(g.x(), GcnAdjacency(g), g.edge_attr(), mask).to(torch::kDouble),
                              dense_gat(conv, g, mask), 1e-5, 1e-5));
}

// PyG drops the graph's own self-loops and adds one per node: a self-loop edge in the input
// changes nothing (its coefficient is 0), with or without edge features.
TEST_F(GATConvTest, OwnSelfLoopsAreReplaced) {
  const Graph g = with_edge_features(random_graph(12, 30, 4, /*seed=*/63), 2);
  const auto loop = torch::tensor({{3}, {3}}, torch::kLong);
  const Graph looped(g.num_nodes(), torch::cat({g.edge_index(), loop}, 1), g.x(), {},
                     torch::cat({g.edge_attr(), torch::rand({1, 2})}));
  GATConv conv(GATConvOptions(4, 3).heads(2).edge_dim(2));
  const auto with_loop =
      conv->forward_with_attention(looped.x(), GcnAdjacency(looped), looped.edge_attr());
  EXPECT_TRUE(
      torch::allclose(with_loop.out, conv(g.x(), GcnAdjacency(g), g.edge_attr()), 1e-6, 1e-6));
  EXPECT_TRUE(torch::equal(with_loop.alpha[g.num_edges()], torch::zeros({2})));
}

TEST_F(GATConvTest, GradientsInDouble) {
  const Graph g = with_edge_features(random_graph(8, 20, 3, /*seed=*/64, torch::kDouble), 2);
  const GcnAdjacency adj(g);
  GATConv conv(GATConvOptions(3, 2).heads(2).edge_dim(2));
  conv->to(torch::kDouble);
  {
    torch::NoGradGuard no_grad;
    conv->bias().uniform_(-1, 1);
  }
  std::vector<torch::Tensor> params;
  for (auto& p : conv->parameters()) params.push_back(p);
  ASSERT_EQ(params.size(), 6u);  // lin, att_src, att_dst, lin_edge, att_edge, bias
  expect_gradients_match_finite_differences(
      [&](const torch::Tensor& x, const torch::Tensor& m) {
        return conv(x, adj, g.edge_attr(), m);
      },
      g.x(), torch::rand({g.num_edges()}, torch::kDouble) + 0.5, params);
}

// Mask 0 on edge j -> i removes α_ji W x_j from row i and nothing else: the softmax is that of
// the unmasked graph, so the other coefficients stay as they were.
TEST_F(GATConvTest, MaskZeroRemovesExactlyOneMessageAfterTheSoftmax) {
  const Graph g = random_graph(15, 50, 4, /*seed=*/65, torch::kDouble);
  const GcnAdjacency adj(g);
  GATConv conv(GATConvOptions(4, 3).heads(2));
  conv->to(torch::kDouble);
  const auto full = conv->forward_with_attention(g.x(), adj);
  const auto h = dense_linear_reference(g.x(), conv->lin()->weight).view({-1, 2, 3});
  for (int64_t removed : {0, 25, 49}) {
    auto mask = torch::ones({g.num_edges()}, torch::kDouble);
    mask[removed] = 0;
    const int64_t s = g.edge_index()[0][removed].item<int64_t>();
    const int64_t d = g.edge_index()[1][removed].item<int64_t>();
    auto expected = full.out.clone();
    expected[d] -= (full.alpha[removed].unsqueeze(1) * h[s]).reshape({6});
    EXPECT_TRUE(torch::allclose(conv(g.x(), adj, torch::Tensor(), mask), expected, 1e-12, 1e-12))
        << "edge " << removed;
  }
}

TEST_F(GATConvTest, MaskOfOnesIsTheUnmaskedLayer) {
  const Graph g = with_edge_features(random_graph(15, 50, 4, /*seed=*/66), 2);
  GATConv conv(GATConvOptions(4, 3).heads(2).edge_dim(2));
  const GcnAdjacency adj(g);
  expect_mask_of_ones_is_unmasked(
      [&](const torch::Tensor& x, const torch::Tensor& m) {
        return conv(x, adj, g.edge_attr(), m);
      },
      g);
}

TEST_F(GATConvTest, AttentionDropoutActsInTrainingOnly) {
  const Graph g = random_graph(15, 50, 4, /*seed=*/67);
  const GcnAdjacency adj(g);
  GATConv conv(GATConvOptions(4, 3).heads(2).dropout(0.5));
  conv->eval();
  const auto a = conv(g.x(), adj);
  EXPECT_TRUE(torch::equal(a, conv(g.x(), adj)));
  conv->train();
  const auto dropped = conv->forward_with_attention(g.x(), adj);
  EXPECT_FALSE(torch::allclose(dropped.out, a));
  const auto zeros = (dropped.alpha == 0).sum().item<int64_t>();
  EXPECT_GT(zeros, 0);
  EXPECT_LT(zeros, dropped.alpha.numel());
}

TEST_F(GATConvTest, PyGParameterNamesAndShapes) {
  GATConv conv(GATConvOptions(5, 3).heads(4).edge_dim(2));
  const auto names = tensor_names(conv);
  for (const char* name :
       {"lin.weight", "att_src", "att_dst", "lin_edge.weight", "att_edge", "bias"}) {
    EXPECT_TRUE(contains(names, name)) << name;
  }
  EXPECT_EQ(names.size(), 6u);
  auto params = conv->named_parameters();
  EXPECT_EQ(params["lin.weight"].sizes(), torch::IntArrayRef({12, 5}));
  EXPECT_EQ(params["att_src"].sizes(), torch::IntArrayRef({1, 4, 3}));
  EXPECT_EQ(params["lin_edge.weight"].sizes(), torch::IntArrayRef({12, 2}));
  EXPECT_EQ(params["bias"].sizes(), torch::IntArrayRef({12}));
  // The order of a PyG GATConv's state_dict too: the module's own parameters, then lin's.
  GATConv mean(GATConvOptions(5, 3).heads(4).concat(false));
  EXPECT_EQ(tensor_names(mean),
            (std::vector<std::string>{"att_src", "att_dst", "bias", "lin.weight"}));
  EXPECT_EQ(mean->bias().sizes(), torch::IntArrayRef({3}));
}
