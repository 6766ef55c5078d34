// GNNExplainer's fused mask step (explainers/src/edge_mask_step.h) against the plain autograd
// formulation with torch::optim::Adam, the pairing of reverse edges, and the per-thread groups
// of GNNExplainer (same masks for any thread count).

#include <gnnx/datasets/synthetic.h>
#include <gnnx/explainers/gnnexplainer.h>
#include <gnnx/explainers/target_batch.h>
#include <gnnx/gnn/threads.h>
#include <gnnx/gnn/training.h>

#include <gtest/gtest.h>
#include <torch/autograd.h>
#include <torch/optim/adam.h>

#include "edge_mask_step.h"
#include "support/builders.h"

using namespace gnnx;
using explainers::detail::EdgeMask;
using explainers::detail::EdgeMaskRegularisers;

namespace {

torch::Tensor binary_entropy(const torch::Tensor& p) {
  return -p * torch::log(p + 1e-15) - (1 - p) * torch::log(1 - p + 1e-15);
}

// The reference: logits as autograd leaves, mask = sigmoid((l + l[rev]) / 2), a linear stand-in
// for the model's loss (Σ c_e mask_e, so d/d(mask) = c), the regularisers, torch's Adam.
torch::Tensor reference_masks(const torch::Tensor& init, const torch::Tensor& reverse,
                              const torch::Tensor& c, const EdgeMaskRegularisers& reg, int steps,
                              double lr) {
  auto logits = init.clone().requires_grad_();
  torch::optim::Adam adam({logits}, torch::optim::AdamOptions(lr));
  auto mask_of = [&] {
    return reverse.defined() ? torch::sigmoid((logits + logits.index_select(0, reverse)) / 2)
                             : torch::sigmoid(logits);
  };
  for (int s = 0; s < steps; ++s) {
    adam.zero_grad();
    const auto mask = mask_of();
    const auto loss = (c * mask).sum() + reg.size * mask.sum() +
                      reg.entropy * (binary_entropy(mask) * reg.entropy_weight).sum();
    loss.backward();
    adam.step();
  }
  torch::NoGradGuard no_grad;
  return mask_of();
}

// A fresh node classifier for a data set's graph (biases 0.1, as `gnnx train`).
std::shared_ptr<gnn::GnnModel> node_model(const datasets::Dataset& ds, int64_t hidden,
                                          uint64_t seed) {
  torch::manual_seed(seed);
  gnn::ModelSpec spec;
  spec.in_features = ds.graphs[0].num_features();
  spec.num_classes = ds.num_classes;
  spec.hidden = hidden;
  spec.bias_init = 0.1;
  return gnn::make_model(spec);
}

}  // namespace

TEST(EdgeMaskTest, FusedStepEqualsAutogradWithTorchAdam) {
  const auto g = gnnx::testing::random_graph(40, 160, 3, /*seed=*/4);
  const auto reverse = explainers::detail::reverse_edges(g);
  const int64_t e = g.num_edges();
  torch::manual_seed(7);
  const auto init = torch::randn({e}) * 2 + 1;
  const auto c = torch::randn({e}) * 0.5;
  const EdgeMaskRegularisers reg{0.05, 1.0, torch::rand({e}) * 0.1 + 0.01};
  for (bool symmetric : {true, false}) {
    SCOPED_TRACE(symmetric ? "symmetric" : "directed");
    const auto rev = symmetric ? reverse : torch::Tensor();
    EdgeMask mask(init, rev);
    for (int s = 0; s < 40; ++s) mask.adam_step(c.contiguous(), reg, 0.1);
    const auto expected = reference_masks(init, rev, c, reg, 40, 0.1);
    EXPECT_TRUE(torch::allclose(mask.values(), expected, 1e-4, 1e-5))
        << (mask.values() - expected).abs().max().item<float>();
    if (symmetric) {  // tied pairs stay tied
      EXPECT_TRUE(torch::equal(mask.values(), mask.values().index_select(0, reverse)));
    }
  }
}

TEST(EdgeMaskTest, ReversePairsCopiesOneToOneAndLeavesTheRestAlone) {
  // 0->1 twice, 1->0 once, a self-loop 2->2 and 1->2 without its reverse.
  const gnn::Graph g(3, torch::tensor({{0, 0, 1, 2, 1}, {1, 1, 0, 2, 2}}, torch::kLong),
                     torch::Tensor());
  const auto rev = explainers::detail::reverse_edges(g);
  EXPECT_TRUE(torch::equal(rev, torch::tensor({2, 1, 0, 3, 4}, torch::kLong))) << rev;
  EXPECT_THROW(EdgeMask(torch::zeros({5}), torch::tensor({1, 2, 0, 3, 4}, torch::kLong)),
               c10::Error);  // not an involution
}

// Targets are split into one group per thread; every target's mask must be the same whatever
// the grouping, bit for bit, and the model's weights must keep their gradients afterwards.
TEST(GNNExplainerGroupsTest, SameMasksForAnyThreadCount) {
  const auto ds = datasets::make_synthetic("ba-shapes", 0);
  const auto& g = ds.graphs[0];
  auto model = node_model(ds, /*hidden=*/8, /*seed=*/3);
  const auto nodes = torch::tensor({0, 400, 401, 650, 300, 511, 5}, torch::kLong);
  explainers::GNNExplainer explainer(explainers::GNNExplainerOptions().epochs(30));
  const int before = gnn::worker_threads();
  std::vector<std::vector<explainers::Explanation>> runs;
  for (int threads : {1, 3}) {
    gnn::set_worker_threads(threads);
    runs.push_back(explainer.explain_nodes(*model, g, nodes));
  }
  gnn::set_worker_threads(before);
  ASSERT_EQ(runs[0].size(), runs[1].size());
  for (size_t i = 0; i < runs[0].size(); ++i) {
    EXPECT_EQ(runs[0][i].target, runs[1][i].target);
    EXPECT_TRUE(torch::equal(runs[0][i].edge_mask, runs[1][i].edge_mask)) << "target " << i;
  }
  for (const auto& p : model->parameters()) EXPECT_TRUE(p.requires_grad());
}

// The Laplacian term: ½ [ŷ_u ≠ ŷ_v] / n² per edge u -> v, by hand on a path 0 - 1 - 2 with
// predictions 0, 2, 2 explained at node 1 (one hop: all three nodes). Classes are categories:
// the original code's ½ (ŷ_u − ŷ_v)² would weigh the 0 - 2 edges 4 times, not once.
TEST(GNNExplainerLaplacianTest, EdgeWeightsByHand) {
  const gnn::Graph g(3, torch::tensor({{0, 1, 1, 2}, {1, 0, 2, 1}}, torch::kLong),
                     torch::ones({3, 1}));
  const gnn::GcnAdjacency adj(g);
  const auto batch = explainers::make_node_batch(g, adj, {1}, /*num_hops=*/1);
  const auto weights = explainers::edge_laplacian_weights(
      batch, torch::tensor({0, 2, 2}, torch::kLong).index_select(0, batch.node_id));
  ASSERT_EQ(weights.numel(), 4);
  for (int64_t e = 0; e < 4; ++e) {
    const int64_t u = batch.node_id[batch.adj.src()[e].item<int64_t>()].item<int64_t>();
    const int64_t v = batch.node_id[batch.adj.dst()[e].item<int64_t>()].item<int64_t>();
    const double expected = (u == 0 || v == 0) ? 0.5 / 9 : 0.0;
    EXPECT_NEAR(weights[e].item<double>(), expected, 1e-7) << u << "->" << v;
  }
}

// With the term on, edges between nodes of different predicted classes keep lower masks.
TEST(GNNExplainerLaplacianTest, LowersMasksAcrossPredictedClasses) {
  const auto ds = datasets::make_synthetic("ba-shapes", 0);
  const auto& g = ds.graphs[0];
  auto model = node_model(ds, /*hidden=*/20, /*seed=*/1);
  gnn::TrainOptions train;
  train.epochs = 300;
  train.lr = 0.01;
  gnn::train_node_classifier(*model, g, train);  // predictions of several classes
  model->eval();
  const auto predicted = model->logits(g.x(), gnn::GcnAdjacency(g)).argmax(1);
  const auto nodes = torch::arange(400, 460, torch::kLong);
  auto across_mean = [&](double lap) {
    explainers::GNNExplainer explainer(
        explainers::GNNExplainerOptions().epochs(50).edge_lap(lap).symmetric_edges(true));
    double sum = 0;
    int64_t count = 0;
    for (const auto& e : explainer.explain_nodes(*model, g, nodes)) {
      for (int64_t k = 0; k < e.edge_ids.numel(); ++k) {
        const int64_t id = e.edge_ids[k].item<int64_t>();
        const auto u = g.edge_index()[0][id], v = g.edge_index()[1][id];
        if (predicted[u].item<int64_t>() != predicted[v].item<int64_t>()) {
          sum += e.edge_mask[k].item<double>();
          ++count;
        }
      }
    }
    return count ? sum / count : -1.0;
  };
  // 1/n² is about 1e-5 on these subgraphs: a large coefficient makes the effect plain.
  const double without = across_mean(0), with = across_mean(1e4);
  ASSERT_GE(without, 0) << "no edge joins two predicted classes";
  EXPECT_LT(with, without - 0.05);
}
