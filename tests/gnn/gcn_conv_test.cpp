#include <gnnx/gnn/error.h>
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
  EXPECT_TRUE(
      torch::allclose(self_only, adj.self_norm().to(torch::kFloat).unsqueeze(1) * xw, 1e-5, 1e-6));
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

namespace {

// A layer with `options` (5 inputs) on a random graph: weight 0 on edge `removed` must give the
// outputs of the graph without it.
void expect_zero_weight_removes_edge(const GCNConvOptions& options, uint64_t seed,
                                     int64_t removed) {
  const Graph g = random_graph(20, 60, 5, seed);
  GCNConv conv(options);
  auto w = torch::ones({g.num_edges()});
  w[removed] = 0;
  auto keep = torch::ones({g.num_edges()}, torch::kBool);
  keep[removed] = false;
  const Graph without(g.num_nodes(), g.edge_index().index({torch::indexing::Slice(), keep}), g.x());
  EXPECT_TRUE(torch::allclose(conv(g.x(), GcnAdjacency(g), w), conv(g.x(), GcnAdjacency(without)),
                              1e-6, 1e-6));
}

// The analytic gradients of <conv(x, adj, w), probe> in the features x, the edge weights w and
// `param` (one of the layer's tensors) against central differences, in double.
void expect_gradients_match_finite_differences(GCNConv& conv, const Graph& g,
                                               const GcnAdjacency& adj, torch::Tensor param) {
  auto x = g.x().clone().requires_grad_();
  auto w = (torch::rand({g.num_edges()}, torch::kDouble) + 0.5).requires_grad_();
  auto probe = torch::randn({g.num_nodes(), 2}, torch::kDouble);
  (conv(x, adj, w) * probe).sum().backward();
  auto loss = [&](const torch::Tensor& xx, const torch::Tensor& ww) {
    torch::NoGradGuard no_grad;
    return (conv(xx, adj, ww) * probe).sum().item<double>();
  };
  auto loss_param = [&](const torch::Tensor& value) {
    torch::NoGradGuard no_grad;
    auto saved = param.clone();
    param.copy_(value);
    const double l = (conv(x, adj, w) * probe).sum().item<double>();
    param.copy_(saved);
    return l;
  };
  EXPECT_TRUE(torch::allclose(
      x.grad(), numeric_gradient([&](const torch::Tensor& t) { return loss(t, w); }, x), 1e-6,
      1e-7));
  EXPECT_TRUE(torch::allclose(
      w.grad(), numeric_gradient([&](const torch::Tensor& t) { return loss(x, t); }, w), 1e-6,
      1e-7));
  EXPECT_TRUE(torch::allclose(param.grad(), numeric_gradient(loss_param, param), 1e-6, 1e-7));
}

}  // namespace

TEST_F(GCNConvTest, EdgeWeightZeroEqualsRemovingTheEdge) {
  expect_zero_weight_removes_edge(GCNConvOptions(5, 3).edge_weight_mode(EdgeWeightMode::kAdjacency),
                                  /*seed=*/14, 17);
}

TEST_F(GCNConvTest, GradientsOfFeaturesWeightsAndEdgeWeightsInDouble) {
  const Graph g = random_graph(10, 30, 3, /*seed=*/15, torch::kDouble);
  const GcnAdjacency adj(g);
  for (auto mode : {EdgeWeightMode::kMask, EdgeWeightMode::kAdjacency}) {
    GCNConv conv(GCNConvOptions(3, 2).edge_weight_mode(mode));
    conv->to(torch::kDouble);
    expect_gradients_match_finite_differences(conv, g, adj, conv->weight);
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

// --- raw-sum aggregation and L2 embedding norm (the original GNNExplainer GraphConv) ---------

/// Dense reference of the sum aggregations: A[d][s] += mask[e] over edges, plus I for kSumSelf,
/// times x W, plus b, each row then scaled to unit length when `l2`.
torch::Tensor dense_sum_reference(const Graph& g, const torch::Tensor& mask, GCNConvImpl& conv,
                                  bool self_loop, bool l2) {
  const int64_t n = g.num_nodes();
  auto a = torch::zeros({n, n}, torch::kDouble);
  for (int64_t e = 0; e < g.num_edges(); ++e) {
    const int64_t s = g.edge_index()[0][e].item<int64_t>();
    const int64_t d = g.edge_index()[1][e].item<int64_t>();
    a[d][s] += mask.defined() ? mask[e].item<double>() : 1.0;
  }
  if (self_loop) a += torch::eye(n, torch::kDouble);
  auto out = a.matmul(g.x().to(torch::kDouble).matmul(conv.weight.to(torch::kDouble))) +
             conv.bias.to(torch::kDouble);
  if (l2) out = out / out.norm(2, 1, true).clamp_min(1e-12);
  return out;
}

TEST_F(GCNConvTest, SumAggregationsMatchDenseReferenceWithAndWithoutMask) {
  const Graph g = random_graph(25, 90, 6, /*seed=*/21);
  const GcnAdjacency adj(g);
  const auto mask = torch::rand({g.num_edges()});
  for (Aggregation agg : {Aggregation::kSum, Aggregation::kSumSelf}) {
    for (EmbeddingNorm norm : {EmbeddingNorm::kNone, EmbeddingNorm::kL2}) {
      for (EdgeWeightMode mode : {EdgeWeightMode::kMask, EdgeWeightMode::kAdjacency}) {
        GCNConv conv(
            GCNConvOptions(6, 4).aggregation(agg).embedding_norm(norm).edge_weight_mode(mode));
        torch::NoGradGuard no_grad;
        conv->bias.uniform_(-1, 1);
        const bool self_loop = agg == Aggregation::kSumSelf;
        const bool l2 = norm == EmbeddingNorm::kL2;
        SCOPED_TRACE(to_string(agg) + " " + to_string(norm));
        EXPECT_TRUE(torch::allclose(conv(g.x(), adj).to(torch::kDouble),
                                    dense_sum_reference(g, {}, *conv, self_loop, l2), 1e-5, 1e-5));
        EXPECT_TRUE(torch::allclose(conv(g.x(), adj, mask).to(torch::kDouble),
                                    dense_sum_reference(g, mask, *conv, self_loop, l2), 1e-5,
                                    1e-5));
      }
    }
  }
}

TEST_F(GCNConvTest, L2NormGivesUnitRowsOnTheSymmetricAggregation) {
  const Graph g = random_graph(25, 90, 6, /*seed=*/22);
  GCNConv conv(GCNConvOptions(6, 4).embedding_norm(EmbeddingNorm::kL2));
  const auto out = conv(g.x(), GcnAdjacency(g));
  EXPECT_TRUE(torch::allclose(out.norm(2, 1), torch::ones({g.num_nodes()}), 1e-5, 1e-5));
  // An all-zero row stays zero (and finite) rather than becoming NaN.
  GCNConv zero(GCNConvOptions(6, 4).bias(false).embedding_norm(EmbeddingNorm::kL2));
  const auto z = zero(torch::zeros({g.num_nodes(), 6}), GcnAdjacency(g));
  EXPECT_TRUE(torch::equal(z, torch::zeros_like(z)));
}

TEST_F(GCNConvTest, SumAggregationReadsOnlyTheStructureNotTheNormalisation) {
  // LayerPlan hands sub-adjacencies that keep their parent's coefficients; the raw sum must
  // ignore them.
  const Graph g = random_graph(20, 60, 5, /*seed=*/23);
  const GcnAdjacency adj(g);
  const GcnAdjacency renormalised = adj.with_normalisation(
      torch::rand({g.num_edges()}, torch::kDouble), torch::rand({g.num_nodes()}, torch::kDouble));
  GCNConv conv(GCNConvOptions(5, 3).aggregation(Aggregation::kSumSelf));
  EXPECT_TRUE(torch::equal(conv(g.x(), adj), conv(g.x(), renormalised)));
}

TEST_F(GCNConvTest, SumAggregationMaskZeroEqualsRemovingTheEdge) {
  expect_zero_weight_removes_edge(GCNConvOptions(5, 3).aggregation(Aggregation::kSum),
                                  /*seed=*/24, 9);
}

TEST_F(GCNConvTest, SumAggregationGradientsInDouble) {
  const Graph g = random_graph(10, 30, 3, /*seed=*/25, torch::kDouble);
  const GcnAdjacency adj(g);
  for (Aggregation agg : {Aggregation::kSum, Aggregation::kSumSelf}) {
    GCNConv conv(GCNConvOptions(3, 2).aggregation(agg).embedding_norm(EmbeddingNorm::kL2));
    conv->to(torch::kDouble);
    {
      torch::NoGradGuard no_grad;
      conv->bias.uniform_(-1, 1);  // keeps every row away from the norm's kink at zero
    }
    SCOPED_TRACE(to_string(agg));
    expect_gradients_match_finite_differences(conv, g, adj, conv->bias);
  }
}

TEST_F(GCNConvTest, AggregationAndNormNamesRoundTrip) {
  for (Aggregation a : {Aggregation::kSymmetric, Aggregation::kSum, Aggregation::kSumSelf}) {
    EXPECT_EQ(parse_aggregation(to_string(a)), a);
  }
  for (EmbeddingNorm n : {EmbeddingNorm::kNone, EmbeddingNorm::kL2}) {
    EXPECT_EQ(parse_embedding_norm(to_string(n)), n);
  }
  try {
    parse_aggregation("mean");
    ADD_FAILURE();
  } catch (const gnnx::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("symmetric, sum, sum-self"), std::string::npos);
  }
  EXPECT_THROW(parse_embedding_norm("l1"), gnnx::InputError);
}

TEST_F(GCNConvTest, RejectsWrongShapes) {
  const Graph g = random_graph(10, 20, 3, /*seed=*/1);
  const GcnAdjacency adj(g);
  GCNConv conv(3, 2);
  EXPECT_THROW(conv(torch::ones({10, 4}), adj), c10::Error);
  EXPECT_THROW(conv(g.x(), adj, torch::ones({19})), c10::Error);
  EXPECT_THROW(GCNConv(0, 2), c10::Error);
  GCNConv sum(GCNConvOptions(3, 2).aggregation(Aggregation::kSum));
  EXPECT_THROW(sum(g.x(), adj, torch::ones({19})), c10::Error);
}
