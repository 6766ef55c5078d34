// Layer-wise relevance propagation ("lrp"): the ε- and αβ-rules on GCNs against the dense
// loop-by-loop reference (gradient_reference.h, the rules' formulas with biases), on every layer
// type against two identities that hold without biases (α = 1, β = 0 is excitation backprop
// scaled by the logit; ε = 0 is input × gradient), and conservation.

#include <gnnx/explainers/attribution_methods.h>

#include "explainers/layer_rules_reference.h"

namespace gnnx::explainers::gradient_test {
namespace {

using gnn::Architecture;

using layer_rules_test::kEveryArch;

Factory lrp(LrpOptions options) {
  return [options](const TargetOptions& t) { return std::make_unique<Lrp>(options, t); };
}

void zero_biases(torch::nn::Module& model) {
  torch::NoGradGuard no_grad;
  for (auto& p : model.named_parameters()) {
    if (p.key().find("bias") != std::string::npos) p.value().zero_();
  }
}

TEST_F(GradientMethodsTest, LrpEpsilonMatchesTheDenseGcnReference) {
  for (double eps : {0.0, 0.3}) {
    check_against_reference(lrp(LrpOptions().rule(LrpRule::kEpsilon).epsilon(eps)),
                            [eps](const Explanation& e, const DenseRef& ref) {
                              return ref.lrp(local_target(e), e.explained_class, eps);
                            });
  }
}

TEST_F(GradientMethodsTest, LrpAlphaBetaMatchesTheDenseGcnReference) {
  for (double alpha : {1.0, 2.0}) {
    check_against_reference(lrp(LrpOptions().rule(LrpRule::kAlphaBeta).alpha(alpha)),
                            [alpha](const Explanation& e, const DenseRef& ref) {
                              return ref.lrp(local_target(e), e.explained_class, 0.0, alpha);
                            });
  }
}

// The reference is not trivially satisfied: the rules differ from each other and from
// input × gradient where biases and ε take relevance.
TEST_F(GradientMethodsTest, LrpRulesDiffer) {
  auto model = graph_model();
  const auto graphs = graph_set();
  const auto eps =
      Lrp(LrpOptions().rule(LrpRule::kEpsilon).epsilon(0.3)).explain_graphs(*model, graphs);
  const auto ab =
      Lrp(LrpOptions().rule(LrpRule::kAlphaBeta).alpha(2)).explain_graphs(*model, graphs);
  const auto ixg = InputXGradient().explain_graphs(*model, graphs);
  for (size_t i = 0; i < graphs.size(); ++i) {
    EXPECT_FALSE(torch::allclose(eps[i].node_mask, ab[i].node_mask, 1e-3, 1e-4)) << i;
    EXPECT_FALSE(torch::allclose(eps[i].node_mask, ixg[i].node_mask, 1e-3, 1e-4)) << i;
  }
}

class LrpArchTest : public ::testing::TestWithParam<Architecture> {
 protected:
  void SetUp() override { torch::manual_seed(0); }

  std::shared_ptr<gnn::GnnModel> model(gnn::Task task, gnn::Readout readout = gnn::Readout::kMean) {
    gnn::ModelSpec spec = layer_rules_test::rule_spec(GetParam(), task);
    spec.readout = readout;
    auto m = gnn::make_model(spec);
    set_parameters(*m);
    zero_biases(*m);
    m->eval();
    return m;
  }
};

// Without biases and with non-negative inputs, LRP-α1β0 hands each unit's relevance down in
// proportion to the positive contributions, as excitation backprop hands its mass: the maps are
// EB's times the logit, on every layer type (GINE's edge-feature share and GAT's fixed
// attention included), wherever some contribution to the logit is positive.
TEST_P(LrpArchTest, AlphaOneIsExcitationBackpropTimesTheLogit) {
  const std::string arch = gnn::to_string(GetParam());
  const Lrp alpha1(LrpOptions().rule(LrpRule::kAlphaBeta).alpha(1));
  double total = 0;
  for (int64_t c = 0; c < 2; ++c) {
    const TargetOptions target = TargetOptions().explained_class(c);
    const Lrp lrp_c(LrpOptions().rule(LrpRule::kAlphaBeta).alpha(1), target);
    const ExcitationBackprop eb(ExcitationBackpropOptions(), target);
    auto gm = model(gnn::Task::kGraphClassification);
    const auto graphs = layer_rules_test::rule_graphs();
    const auto lrp_maps = lrp_c.explain_graphs(*gm, graphs);
    const auto eb_maps = eb.explain_graphs(*gm, graphs);
    auto nm = model(gnn::Task::kNodeClassification);
    const Graph g = layer_rules_test::with_edge_features(path_graph());
    auto lrp_nodes = lrp_c.explain_nodes(*nm, g, node_targets());
    auto eb_nodes = eb.explain_nodes(*nm, g, node_targets());
    lrp_nodes.insert(lrp_nodes.end(), lrp_maps.begin(), lrp_maps.end());
    eb_nodes.insert(eb_nodes.end(), eb_maps.begin(), eb_maps.end());
    for (size_t i = 0; i < lrp_nodes.size(); ++i) {
      const double y = lrp_nodes[i].diagnostics.at("explained_logit");
      const std::string what =
          arch + " explanation " + std::to_string(i) + " class " + std::to_string(c);
      if (eb_nodes[i].node_mask.abs().sum().item<double>() == 0) {
        // No positive contribution reaches the logit: EB drops its mass, LRP hands the
        // (negative) logit to the negative contributions instead, all of it.
        EXPECT_LT(y, 0) << what;
        EXPECT_NEAR(lrp_nodes[i].node_mask.sum().item<double>(), y, 1e-5 * (1 + std::abs(y)))
            << what;
        continue;
      }
      expect_close(lrp_nodes[i].node_mask, y * eb_nodes[i].node_mask, 1e-5 * (1 + std::abs(y)),
                   what + " nodes");
      expect_close(lrp_nodes[i].edge_mask, y * eb_nodes[i].edge_mask, 1e-5 * (1 + std::abs(y)),
                   what + " edges");
      total += lrp_nodes[i].node_mask.abs().sum().item<double>();
    }
  }
  EXPECT_GT(total, 0.1) << arch << ": the maps are not all zero";
}

// Without biases, LRP-0 (ε = 0) is input × gradient on ReLU networks (every stage's relevance
// is its activation times its gradient): node maps Σ_f X ∂y/∂X, edge maps ∂y/∂w. GAT's
// gradient runs through its attention, which LRP holds fixed: not compared.
TEST_P(LrpArchTest, EpsilonZeroIsInputTimesGradient) {
  if (GetParam() == Architecture::kGat) GTEST_SKIP() << "attention held fixed";
  const std::string arch = gnn::to_string(GetParam());
  for (const auto readout : {gnn::Readout::kMean, gnn::Readout::kSum, gnn::Readout::kMax}) {
    for (int64_t c = 0; c < 2; ++c) {
      const TargetOptions target = TargetOptions().explained_class(c);
      const Lrp lrp0(LrpOptions().rule(LrpRule::kEpsilon).epsilon(0), target);
      const InputXGradient ixg(target);
      auto gm = model(gnn::Task::kGraphClassification, readout);
      const auto graphs = layer_rules_test::rule_graphs();
      auto got = lrp0.explain_graphs(*gm, graphs);
      auto want = ixg.explain_graphs(*gm, graphs);
      if (readout == gnn::Readout::kMean) {
        auto nm = model(gnn::Task::kNodeClassification);
        const Graph g = layer_rules_test::with_edge_features(path_graph());
        const auto n_got = lrp0.explain_nodes(*nm, g, node_targets());
        const auto n_want = ixg.explain_nodes(*nm, g, node_targets());
        got.insert(got.end(), n_got.begin(), n_got.end());
        want.insert(want.end(), n_want.begin(), n_want.end());
      }
      for (size_t i = 0; i < got.size(); ++i) {
        const std::string what = arch + " " + gnn::to_string(readout) + " explanation " +
                                 std::to_string(i) + " class " + std::to_string(c);
        expect_close(got[i].node_mask, want[i].node_mask, 1e-5, what + " nodes");
        expect_close(got[i].edge_mask, want[i].edge_mask, 1e-5, what + " edges");
        // The per-feature relevance sums to the node map.
        EXPECT_NEAR(got[i].feature_mask.sum().item<double>(), got[i].node_mask.sum().item<double>(),
                    1e-5)
            << what;
      }
    }
  }
}

// Without biases, ε = 0 and every αβ with α − β = 1 conserve the logit: the inputs (and GINE's
// edge features) receive all of it. With biases and ε > 0 some is absorbed, and the explanation
// says how much.
TEST_P(LrpArchTest, RelevanceIsConservedWithoutBiases) {
  const std::string arch = gnn::to_string(GetParam());
  const auto graphs = layer_rules_test::rule_graphs();
  auto gm = model(gnn::Task::kGraphClassification);
  for (const auto& options : {LrpOptions().rule(LrpRule::kEpsilon).epsilon(0),
                              LrpOptions().rule(LrpRule::kAlphaBeta).alpha(1),
                              LrpOptions().rule(LrpRule::kAlphaBeta).alpha(2)}) {
    for (const auto& e : Lrp(options).explain_graphs(*gm, graphs)) {
      const double y = e.diagnostics.at("explained_logit");
      EXPECT_NEAR(e.diagnostics.at("relevance_absorbed"), 0.0, 1e-9 * (1 + std::abs(y))) << arch;
      if (GetParam() != Architecture::kGine) {
        EXPECT_NEAR(e.node_mask.sum().item<double>(), y, 1e-5 * (1 + std::abs(y))) << arch;
      }
    }
  }
  // With the biases of set_parameters and a large ε, relevance is absorbed; the logit reported
  // is the model's.
  auto biased =
      gnn::make_model(layer_rules_test::rule_spec(GetParam(), gnn::Task::kGraphClassification));
  set_parameters(*biased);
  biased->eval();
  double absorbed = 0;
  for (const auto& e :
       Lrp(LrpOptions().rule(LrpRule::kEpsilon).epsilon(0.5)).explain_graphs(*biased, graphs)) {
    const gnn::GcnAdjacency adj(graphs.at(e.target));
    torch::NoGradGuard no_grad;
    const auto logits = biased->forward(graphs.at(e.target).x(), adj).logits.reshape({-1});
    EXPECT_NEAR(e.diagnostics.at("explained_logit"), logits[e.explained_class].item<double>(), 1e-5)
        << arch;
    absorbed += std::abs(e.diagnostics.at("relevance_absorbed"));
  }
  EXPECT_GT(absorbed, 1e-3) << arch;
}

INSTANTIATE_TEST_SUITE_P(EveryLayer, LrpArchTest, ::testing::ValuesIn(kEveryArch),
                         [](const auto& info) { return gnn::to_string(info.param); });

TEST(LrpOptionsTest, ReadsItsOptionsAndRecordsThem) {
  MethodOptions o;
  set_option(o, "lrp-rule", "alpha-beta");
  set_option(o, "alpha", "2");
  const LrpOptions lrp = LrpOptions::from(o);
  EXPECT_EQ(lrp.rule(), LrpRule::kAlphaBeta);
  EXPECT_EQ(lrp.alpha(), 2.0);
  EXPECT_THROW(set_option(o, "alpha", "0.5"), InputError);  // α < 1: β would be negative
  EXPECT_THROW(set_option(o, "epsilon", "-1"), InputError);
  EXPECT_THROW(set_option(o, "lrp-rule", "z"), InputError);
  auto model = graph_model();
  const auto e = make_explainer("lrp", o)->explain_graphs(*model, graph_set()).front();
  EXPECT_EQ(e.options.at("lrp_rule"), "alpha-beta");
  EXPECT_EQ(e.options.at("beta"), "1");
}

}  // namespace
}  // namespace gnnx::explainers::gradient_test
