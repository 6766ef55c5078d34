// Max readout's tie rule (gnn/max_readout.h) as the gradient family sees it: with constant
// features, mirror-image nodes compute the same activations up to float32 rounding, and which of
// them come out bitwise equal depends on the order their messages are summed in, i.e. on the node
// numbering. The maps of saliency, integrated gradients and excitation backprop must not.

#include "explainers/gradient_reference.h"

namespace gnnx::explainers::gradient_test {
namespace {

// Two copies of one small graph (Ying et al.'s house motif, a square with a roof, with a tail
// and a chord) joined tail to tail: every node has a twin, so every unit's maximum is reached
// at least twice, and the sums over a node's neighbours see operands of several values.
// Constant features, as BA-2Motifs.
Graph twin_houses_graph(double feature) {
  const std::vector<std::pair<int64_t, int64_t>> half = {{0, 1}, {0, 2}, {1, 2}, {1, 3}, {2, 4},
                                                         {3, 4}, {0, 5}, {3, 5}, {5, 6}};
  std::vector<int64_t> src, dst;
  const auto link = [&](int64_t a, int64_t b) {
    src.insert(src.end(), {a, b});
    dst.insert(dst.end(), {b, a});
  };
  for (const auto& [a, b] : half) link(a, b);
  for (const auto& [a, b] : half) link(a + 7, b + 7);
  link(6, 13);
  const auto ei =
      torch::stack({torch::tensor(src, torch::kLong), torch::tensor(dst, torch::kLong)});
  return Graph(14, ei, torch::full({14, 2}, feature), torch::tensor({1}, torch::kLong));
}

// `graph` with node i renamed perm[i] (edges listed in the same order, renamed).
Graph permuted(const Graph& graph, const torch::Tensor& perm) {
  const auto ei = perm.index_select(0, graph.edge_index().reshape({-1})).reshape({2, -1});
  auto x = torch::empty_like(graph.x());
  x.index_copy_(0, perm, graph.x());
  return Graph(graph.num_nodes(), ei, x, graph.y());
}

// The GNNExplainer layer of the BA-2Motifs default (raw sums with the node itself), max readout.
std::shared_ptr<gnn::GraphClassifierImpl> raw_sum_max_model(int64_t layers) {
  ModelSpec spec = base_spec(gnn::Task::kGraphClassification);
  spec.readout = gnn::Readout::kMax;
  spec.aggregation = gnn::Aggregation::kSumSelf;
  spec.num_layers = layers;
  spec.hidden = 4;
  auto m = std::make_shared<gnn::GraphClassifierImpl>(spec);
  set_parameters(*m, 0.9, 0.05, /*positive=*/true);
  return m;
}

// Regression test for issue 17: on the old exact-equality rule every 3-layer case here failed
// for some numbering (saliency, integrated gradients and EB alike).
TEST_F(GradientMethodsTest, MaxReadoutMapsDoNotDependOnTheNodeOrder) {
  MethodOptions options;
  options.steps = 8;
  for (double feature : {1.0, 0.3, 0.7}) {
    const Graph graph = twin_houses_graph(feature);
    for (int64_t layers : {2, 3}) {
      auto model = raw_sum_max_model(layers);
      for (const std::string method : {"saliency", "integrated-gradients", "eb"}) {
        const auto explainer = find_method(method).make(options);
        const auto reference = explainer->explain_graphs(*model, {graph}).at(0).node_mask;
        for (int64_t seed = 0; seed < 12; ++seed) {
          torch::manual_seed(seed);
          const auto perm = torch::randperm(graph.num_nodes(), torch::kLong);
          const auto e = explainer->explain_graphs(*model, {permuted(graph, perm)}).at(0);
          // Node i of the original graph is node perm[i] of the permuted one.
          const auto back = e.node_mask.index_select(0, perm);
          expect_close(back, reference, 1e-5,
                       method + ", " + std::to_string(layers) + " layers, feature " +
                           std::to_string(feature) + ", permutation " + std::to_string(seed));
        }
      }
    }
  }
}

}  // namespace
}  // namespace gnnx::explainers::gradient_test
