// DeepLIFT's rescale rule against the dense float64 reference of gradient_reference.h (its
// hand-written backward with the rescale multipliers), summation-to-delta, and the models it
// refuses.

#include <gnnx/explainers/attribution_methods.h>

#include "explainers/gradient_reference.h"

namespace gnnx::explainers::gradient_test {
namespace {

// Σ node = y(X, 1) − y(0, 1) and Σ edge = y(X, 1) − y(X, 0) of one explanation, from the
// reference; the explanation's own diagnostics agree with the sums it holds.
struct Deltas {
  double nodes, edges;
};
Deltas reference_deltas(const Explanation& e, const DenseRef& ref) {
  const int64_t t = local_target(e);
  const int64_t c = e.explained_class;
  const double f = ref.logit(ref.x(), ref.ones(), t, c);
  return {f - ref.logit(torch::zeros_like(ref.x()), ref.ones(), t, c),
          f - ref.logit(ref.x(), torch::zeros_like(ref.ones()), t, c)};
}

void expect_reported_gaps(const Explanation& e, const Deltas& d, const std::string& what) {
  EXPECT_NEAR(e.diagnostics.at("summation_gap_nodes"), e.node_mask.sum().item<double>() - d.nodes,
              1e-4)
      << what;
  EXPECT_NEAR(e.diagnostics.at("summation_gap_edges"), e.edge_mask.sum().item<double>() - d.edges,
              1e-4)
      << what;
}

TEST_F(GradientMethodsTest, DeepLiftMatchesDenseRescaleReference) {
  check_against_reference([](const TargetOptions& t) { return std::make_unique<DeepLift>(t); },
                          [](const Explanation& e, const DenseRef& ref) {
                            const int64_t t = local_target(e);
                            const int64_t c = e.explained_class;
                            const auto zeros_x = torch::zeros_like(ref.x());
                            const auto nodes = ref.backward(ref.x(), ref.ones(), t, c,
                                                            Rule::kRescale, zeros_x, ref.ones());
                            const auto edges =
                                ref.backward(ref.x(), ref.ones(), t, c, Rule::kRescale, ref.x(),
                                             torch::zeros_like(ref.ones()));
                            return std::make_pair((ref.x() * nodes.x).sum(1), edges.w);
                          });
}

TEST_F(GradientMethodsTest, DeepLiftDiffersFromInputXGradient) {
  // Guards the reference comparison against a model where the rescale multipliers are the
  // gradients (every ReLU on or off along the whole way).
  auto model = node_model();
  const Graph g = path_graph();
  const auto targets = node_targets();
  const auto dl = DeepLift(TargetOptions().explained_class(1)).explain_nodes(*model, g, targets);
  const auto ixg =
      InputXGradient(TargetOptions().explained_class(1)).explain_nodes(*model, g, targets);
  bool differ = false;
  for (size_t i = 0; i < dl.size(); ++i) {
    differ = differ || !torch::allclose(dl[i].node_mask, ixg[i].node_mask, 1e-4, 1e-5);
  }
  EXPECT_TRUE(differ);
}

// Summation-to-delta: the node attributions add up to the logit difference against zero
// features exactly (float rounding), for both classes, node and graph models; the edges' too
// for one message-passing layer. The reported gaps are the sums against the differences.
TEST_F(GradientMethodsTest, DeepLiftSumsToTheLogitDifference) {
  for (int64_t layers : {1, 2, 3}) {
    for (int64_t c = 0; c < 2; ++c) {
      const DeepLift dl(TargetOptions().explained_class(c));
      ModelSpec spec = base_spec(gnn::Task::kNodeClassification);
      spec.num_layers = layers;
      auto node = std::make_shared<gnn::NodeClassifierImpl>(spec);
      set_parameters(*node);
      const Graph g = path_graph();
      for (const auto& e : dl.explain_nodes(*node, g, node_targets())) {
        const DenseRef ref(*node, g, e.node_ids, e.edge_ids);
        const Deltas d = reference_deltas(e, ref);
        const std::string what = std::to_string(layers) + " layers, node " +
                                 std::to_string(e.target) + " class " + std::to_string(c);
        EXPECT_NEAR(e.node_mask.sum().item<double>(), d.nodes, 1e-5) << what;
        if (layers == 1) {
          EXPECT_NEAR(e.edge_mask.sum().item<double>(), d.edges, 1e-5) << what;
        }
        expect_reported_gaps(e, d, what);
      }
      spec = base_spec(gnn::Task::kGraphClassification);
      spec.num_layers = layers;
      auto graph = std::make_shared<gnn::GraphClassifierImpl>(spec);
      set_parameters(*graph);
      const auto graphs = graph_set();
      for (const auto& e : dl.explain_graphs(*graph, graphs)) {
        const DenseRef ref(*graph, graphs[e.target], e.node_ids, e.edge_ids);
        const Deltas d = reference_deltas(e, ref);
        const std::string what = std::to_string(layers) + " layers, graph " +
                                 std::to_string(e.target) + " class " + std::to_string(c);
        EXPECT_NEAR(e.node_mask.sum().item<double>(), d.nodes, 1e-5) << what;
        if (layers == 1) {
          EXPECT_NEAR(e.edge_mask.sum().item<double>(), d.edges, 1e-5) << what;
        }
        expect_reported_gaps(e, d, what);
      }
    }
  }
}

// The rescale rule reaches every ReLU the model interface offers: GIN's MLP, GINE's messages,
// GraphConv and SAGE, a sum readout and a two-layer head. The node sums stay exact (the gap
// the explanation reports, against the library's own logits).
TEST_F(GradientMethodsTest, DeepLiftIsExactOnEveryArchitectureItAppliesTo) {
  const std::vector<gnn::Architecture> archs = {gnn::Architecture::kGin, gnn::Architecture::kGine,
                                                gnn::Architecture::kGraphConv,
                                                gnn::Architecture::kSage};
  for (const auto arch : archs) {
    ModelSpec spec = base_spec(gnn::Task::kGraphClassification);
    spec.arch = arch;
    spec.readout = gnn::Readout::kSum;
    spec.mlp_hidden = 4;
    spec.train_eps = arch == gnn::Architecture::kGin || arch == gnn::Architecture::kGine;
    if (arch == gnn::Architecture::kGine) spec.edge_dim = 1;
    auto model = gnn::make_model(spec);
    set_parameters(*model);
    auto graphs = graph_set();
    if (arch == gnn::Architecture::kGine) {
      for (auto& g : graphs) {
        const auto attr = torch::linspace(-1, 1, g.num_edges()).unsqueeze(1);
        g = Graph(g.num_nodes(), g.edge_index(), g.x(), g.y(), attr);
      }
    }
    for (int64_t c = 0; c < 2; ++c) {
      for (const auto& e :
           DeepLift(TargetOptions().explained_class(c)).explain_graphs(*model, graphs)) {
        EXPECT_NEAR(e.diagnostics.at("summation_gap_nodes"), 0.0, 1e-4)
            << gnn::to_string(arch) << " graph " << e.target;
      }
    }
  }
}

TEST_F(GradientMethodsTest, DeepLiftRefusesWhatItsRulesDoNotCover) {
  const auto graphs = graph_set();
  auto max_readout = graph_model(gnn::Readout::kMax);
  try {
    DeepLift().explain_graphs(*max_readout, graphs);
    ADD_FAILURE() << "max readout accepted";
  } catch (const InputError& err) {
    EXPECT_NE(std::string(err.what()).find("deeplift does not apply to gcn models with max"),
              std::string::npos)
        << err.what();
  }
  ModelSpec spec = base_spec(gnn::Task::kNodeClassification);
  spec.arch = gnn::Architecture::kGat;
  spec.hidden = 4;
  auto gat = gnn::make_model(spec);
  EXPECT_THROW(DeepLift().explain_nodes(*gat, path_graph(), node_targets()), InputError);
  spec = base_spec(gnn::Task::kNodeClassification);
  spec.embedding_norm = gnn::EmbeddingNorm::kL2;
  auto normalised = gnn::make_model(spec);
  EXPECT_THROW(DeepLift().explain_nodes(*normalised, path_graph(), node_targets()), InputError);
}

}  // namespace
}  // namespace gnnx::explainers::gradient_test
