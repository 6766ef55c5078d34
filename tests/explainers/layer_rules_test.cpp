// Each layer type's rule in the methods that have one (gradient_methods.h): excitation backprop
// on GraphConv, SAGE, GIN, GINE and GAT against a dense float64 reference written from the
// rules' formulas (layer_rules_reference.h), with conservation of mass; guided backprop and
// deconvolution on GAT with the attention held fixed; CAM and Grad-CAM on every layer type; and
// "METHOD does not apply to ARCH: why" where a rule stays undefined.

#include "explainers/layer_rules_reference.h"
#include "support/expect_error.h"

namespace gnnx::explainers::layer_rules_test {
namespace {

using gnn::Architecture;
using gradient_test::expect_close;
using gradient_test::set_parameters;

const std::vector<Architecture> kRuleArchs = {Architecture::kGraphConv, Architecture::kSage,
                                              Architecture::kGin, Architecture::kGine,
                                              Architecture::kGat};

class LayerRulesTest : public ::testing::TestWithParam<Architecture> {
 protected:
  void SetUp() override { torch::manual_seed(0); }
};

// The reference reproduces the model's logits: it is a reference of this model.
void expect_reference_is_the_model(gnn::GnnModel& model, const Graph& g, const ModelRef& ref) {
  torch::NoGradGuard no_grad;
  const gnn::GcnAdjacency adj(g);
  auto logits = model.forward(g.x(), adj).logits;
  if (model.spec().task == gnn::Task::kGraphClassification) logits = logits.reshape({1, -1});
  expect_close(logits, ref.forward().logits, 1e-5, "reference logits");
}

TEST_P(LayerRulesTest, ExcitationBackpropMatchesTheDenseReference) {
  const std::string arch = gnn::to_string(GetParam());
  double total = 0;  // the maps are not all zero
  for (int64_t c = 0; c < 2; ++c) {
    const TargetOptions target = TargetOptions().explained_class(c);
    auto graph_model = rule_model(GetParam(), gnn::Task::kGraphClassification, false);
    const auto graphs = rule_graphs();
    const auto out = ExcitationBackprop(ExcitationBackpropOptions(), target)
                         .explain_graphs(*graph_model, graphs);
    ASSERT_EQ(out.size(), graphs.size());
    for (const auto& e : out) {
      const ModelRef ref(*graph_model, graphs.at(e.target));
      expect_reference_is_the_model(*graph_model, graphs.at(e.target), ref);
      const auto [node, edge, features] = ref.excitation(0, c);
      const std::string what =
          arch + " graph " + std::to_string(e.target) + " class " + std::to_string(c);
      expect_close(e.node_mask, node, 1e-6, what + " node mask");
      expect_close(e.edge_mask, edge, 1e-6, what + " edge mask");
      total += node.sum().item<double>();
    }

    auto node_model = rule_model(GetParam(), gnn::Task::kNodeClassification, false);
    const Graph g = with_edge_features(gradient_test::path_graph());
    const ModelRef ref(*node_model, g);
    expect_reference_is_the_model(*node_model, g, ref);
    const auto nodes = ExcitationBackprop(ExcitationBackpropOptions(), target)
                           .explain_nodes(*node_model, g, gradient_test::node_targets());
    ASSERT_EQ(nodes.size(), 3u);
    for (const auto& e : nodes) {
      // The reference runs on the whole graph; mass never reaches beyond the computation
      // subgraph, so its maps restricted to the explanation's ids are the explanation's.
      const auto [node, edge, features] = ref.excitation(e.target, c);
      const std::string what =
          arch + " node " + std::to_string(e.target) + " class " + std::to_string(c);
      expect_close(e.node_mask, node.index_select(0, e.node_ids), 1e-6, what + " node mask");
      expect_close(e.edge_mask, edge.index_select(0, e.edge_ids), 1e-6, what + " edge mask");
      EXPECT_NEAR(node.sum().item<double>(), node.index_select(0, e.node_ids).sum().item<double>(),
                  1e-12)
          << what;
      total += node.sum().item<double>();
    }
  }
  EXPECT_GT(total, 0.5) << arch;
}

TEST_P(LayerRulesTest, ContrastiveExcitationBackpropIsTheDifferenceOfTheTwoDirections) {
  // The negated classifier row −W_c is the other class's EB when the head's rows are
  // negatives of each other: a two-class head set to (w, −w).
  auto model = rule_model(GetParam(), gnn::Task::kGraphClassification, false);
  {
    torch::NoGradGuard no_grad;
    auto head = model->head_layers().back().weight;
    head[1].copy_(-head[0]);
  }
  const auto graphs = rule_graphs();
  for (int64_t c = 0; c < 2; ++c) {
    const TargetOptions target = TargetOptions().explained_class(c);
    const auto contrastive =
        ExcitationBackprop(ExcitationBackpropOptions().contrastive(true), target)
            .explain_graphs(*model, graphs);
    const auto mine =
        ExcitationBackprop(ExcitationBackpropOptions(), target).explain_graphs(*model, graphs);
    const auto other =
        ExcitationBackprop(ExcitationBackpropOptions(), TargetOptions().explained_class(1 - c))
            .explain_graphs(*model, graphs);
    for (size_t i = 0; i < graphs.size(); ++i) {
      expect_close(contrastive[i].node_mask, torch::relu(mine[i].node_mask - other[i].node_mask),
                   1e-6, "contrastive nodes");
      expect_close(contrastive[i].edge_mask, torch::relu(mine[i].edge_mask - other[i].edge_mask),
                   1e-6, "contrastive edges");
    }
  }
}

TEST_P(LayerRulesTest, ExcitationBackpropConservesMass) {
  // Positive weights and features: no unit is starved, so P(y_c) = 1 reaches the input layer
  // entirely, less (GINE) what ends in the edge features.
  const std::string arch = gnn::to_string(GetParam());
  auto model = rule_model(GetParam(), gnn::Task::kGraphClassification, /*positive=*/true);
  std::vector<Graph> graphs;
  for (const Graph& g : rule_graphs()) graphs.push_back(g.with_features(g.x() + 0.1));
  for (const auto& e : ExcitationBackprop().explain_graphs(*model, graphs)) {
    const ModelRef ref(*model, graphs.at(e.target));
    const auto [node, edge, features] = ref.excitation(0, e.explained_class);
    EXPECT_NEAR(node.sum().item<double>() + features, 1.0, 1e-9) << arch << " reference";
    EXPECT_NEAR(e.node_mask.sum().item<double>(), 1.0 - features, 1e-5) << arch;
    EXPECT_GE(e.edge_mask.min().item<double>(), 0.0) << arch;
    // Every layer's edge mass is part of that layer's unit mass: at most 1 per layer.
    EXPECT_LE(e.edge_mask.sum().item<double>(), 2.0 + 1e-6) << arch;
    if (GetParam() == Architecture::kGine) {
      EXPECT_GT(features, 0.01) << "the edge features take a share";
    } else {
      EXPECT_EQ(features, 0.0) << arch;
    }
  }
  // GINE with all-zero edge features: the messages are the sources' features, all mass reaches
  // the nodes.
  if (GetParam() == Architecture::kGine) {
    std::vector<Graph> zero;
    zero.reserve(graphs.size());
    for (const Graph& g : graphs) zero.push_back(with_edge_features(g, /*scale=*/0.0));
    for (const auto& e : ExcitationBackprop().explain_graphs(*model, zero)) {
      EXPECT_NEAR(e.node_mask.sum().item<double>(), 1.0, 1e-5);
    }
  }
  auto nodes = rule_model(GetParam(), gnn::Task::kNodeClassification, /*positive=*/true);
  const Graph g = with_edge_features(gradient_test::path_graph(), 0.0);
  const Graph shifted = g.with_features(g.x() + 0.1);
  for (const auto& e :
       ExcitationBackprop().explain_nodes(*nodes, shifted, gradient_test::node_targets())) {
    EXPECT_NEAR(e.node_mask.sum().item<double>(), 1.0, 1e-5) << arch << " node " << e.target;
  }
}

INSTANTIATE_TEST_SUITE_P(EveryRule, LayerRulesTest, ::testing::ValuesIn(kRuleArchs),
                         [](const auto& info) { return gnn::to_string(info.param); });

// --- guided backprop and deconvolution on GAT ----------------------------------------------------

TEST(GatReluRulesTest, GuidedBackpropAndDeconvolutionHoldTheAttentionFixed) {
  torch::manual_seed(0);
  auto model = rule_model(Architecture::kGat, gnn::Task::kGraphClassification, false);
  const gnn::ModelDescription d = model->describe();
  EXPECT_FALSE(d.relu_rules);
  EXPECT_TRUE(d.fixed_attention);
  const auto graphs = rule_graphs();
  double total = 0;
  for (const Rule rule : {Rule::kGuided, Rule::kDeconvolution}) {
    for (int64_t c = 0; c < 2; ++c) {
      const TargetOptions target = TargetOptions().explained_class(c);
      const auto out = rule == Rule::kGuided ? GuidedBackprop(target).explain_graphs(*model, graphs)
                                             : Deconvolution(target).explain_graphs(*model, graphs);
      for (const auto& e : out) {
        const ModelRef ref(*model, graphs.at(e.target));
        const auto [g_x, g_w] = ref.backward(c, rule);
        const std::string what = e.method + " graph " + std::to_string(e.target);
        expect_close(e.node_mask, gradient_test::row_norm(g_x), 1e-5, what + " node mask");
        expect_close(e.edge_mask, g_w.abs(), 1e-5, what + " edge mask");
        total += e.node_mask.sum().item<double>();
      }
    }
  }
  EXPECT_GT(total, 0.0);
  // The rule matters: the saliency map (attention differentiated) differs from the guided one
  // with the standard rule, which is the fixed-attention gradient.
  const auto saliency = Saliency().explain_graphs(*model, graphs);
  const ModelRef ref(*model, graphs.front());
  const auto [g_x, g_w] = ref.backward(saliency.front().explained_class, Rule::kStandard);
  EXPECT_FALSE(torch::allclose(saliency.front().node_mask.to(torch::kDouble),
                               gradient_test::row_norm(g_x), 1e-4, 1e-6));
}

// --- CAM and Grad-CAM ------------------------------------------------------------------------

TEST(ActivationMapsTest, CamAndGradCamApplyToEveryArchitecture) {
  for (const Architecture arch : {Architecture::kGcn, Architecture::kGraphConv, Architecture::kSage,
                                  Architecture::kGin, Architecture::kGine, Architecture::kGat}) {
    torch::manual_seed(0);
    const std::string name = gnn::to_string(arch);
    auto model = rule_model(arch, gnn::Task::kGraphClassification, false);
    const auto graphs = rule_graphs();
    const auto cam = Cam(TargetOptions().explained_class(0)).explain_graphs(*model, graphs);
    for (const auto& e : cam) {
      // CAM: ReLU(Σ_k W_{0,k} F^L_{n,k}) from the model's own last-layer activations.
      const Graph& g = graphs.at(e.target);
      torch::NoGradGuard no_grad;
      const auto f = model->forward(g.x(), gnn::GcnAdjacency(g)).embeddings.back();
      const auto want = torch::relu(torch::matmul(f, model->head_layers().back().weight[0]));
      expect_close(e.node_mask, want, 1e-5, name + " cam");
    }
    for (const auto& e : GradCam().explain_graphs(*model, graphs)) {
      EXPECT_TRUE(torch::isfinite(e.node_mask).all().item<bool>()) << name;
      EXPECT_GE(e.node_mask.min().item<double>(), 0.0) << name;
    }
    auto nodes = rule_model(arch, gnn::Task::kNodeClassification, false);
    const Graph g = with_edge_features(gradient_test::path_graph());
    EXPECT_EQ(GradCamAvg().explain_nodes(*nodes, g, gradient_test::node_targets()).size(), 3u)
        << name;
  }
}

// --- what stays refused --------------------------------------------------------------------------

TEST(LayerRulesRefusalTest, ExcitationBackpropSaysWhyItDoesNotApply) {
  torch::manual_seed(0);
  const auto graphs = rule_graphs();
  // GIN with 1 + ε < 0: a negative coefficient on the node's own term.
  auto gin = gnn::make_model(rule_spec(Architecture::kGin, gnn::Task::kGraphClassification));
  set_parameters(*gin);
  {
    torch::NoGradGuard no_grad;
    for (auto& p : gin->named_parameters()) {
      if (p.key() == "conv0.eps") p.value().fill_(-1.5);
    }
  }
  testing::expect_error([&] { ExcitationBackprop().explain_graphs(*gin, graphs); },
                        "eb does not apply to gin: layer 0 weighs a term by -0.5 < 0");
  testing::expect_error(
      [&] {
        ExcitationBackprop(ExcitationBackpropOptions().contrastive(true))
            .explain_graphs(*gin, graphs);
      },
      "contrastive-eb does not apply to gin");
  // Readout of every layer concatenated: the readout rule hands mass to the last layer only.
  gnn::ModelSpec concat = rule_spec(Architecture::kGin, gnn::Task::kGraphClassification);
  concat.readout_concat = true;
  auto pooled = gnn::make_model(concat);
  testing::expect_error([&] { ExcitationBackprop().explain_graphs(*pooled, graphs); },
                        "eb does not apply to gin models with readout_concat");
  // GINE with negative edge features: they are the messages' input activations.
  auto gine = rule_model(Architecture::kGine, gnn::Task::kGraphClassification, false);
  std::vector<Graph> negative;
  negative.reserve(graphs.size());
  for (const Graph& g : graphs) {
    negative.emplace_back(g.num_nodes(), g.edge_index(), g.x(), g.y(), g.edge_attr() - 0.7);
  }
  testing::expect_error([&] { ExcitationBackprop().explain_graphs(*gine, negative); },
                        "eb does not apply to gine: layer 0 reads negative edge features");
  // GAT with negative edge features is fine: they enter only the attention coefficients.
  auto gat = rule_model(Architecture::kGat, gnn::Task::kGraphClassification, false);
  EXPECT_NO_THROW(ExcitationBackprop().explain_graphs(*gat, negative));
}

}  // namespace
}  // namespace gnnx::explainers::layer_rules_test
