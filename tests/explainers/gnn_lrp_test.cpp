// GNN-LRP ("gnn-lrp", Schnake et al. 2021): walk relevances summed by start node give back LRP's
// node relevance under the same rule (every LRP step is linear), on every layer type, node and
// graph tasks; a 1-layer GCN whose walks are solved by hand; pruning against exact enumeration;
// the walks in the JSON file. Also the γ-rule of "lrp" against the dense GCN reference.

#include <gnnx/explainers/explanation_json.h>
#include <gnnx/explainers/gnn_lrp.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <set>

#include "explainers/layer_rules_reference.h"

namespace gnnx::explainers::gradient_test {
namespace {

using gnn::Architecture;

using layer_rules_test::kEveryArch;

/// Every walk of every target (top_walks beyond any walk count).
constexpr int64_t kAllWalks = 1000000;

TEST_F(GradientMethodsTest, LrpGammaMatchesTheDenseGcnReference) {
  for (double gamma : {0.25, 1.0}) {
    check_against_reference(
        [gamma](const TargetOptions& t) {
          return std::make_unique<Lrp>(LrpOptions().rule(LrpRule::kGamma).gamma(gamma), t);
        },
        [gamma](const Explanation& e, const DenseRef& ref) {
          return ref.lrp(local_target(e), e.explained_class, 0.0, 0.0, gamma);
        });
  }
}

/// Σ of the walks' relevance by their first node, aligned with e.node_ids.
torch::Tensor relevance_by_start(const Explanation& e) {
  std::map<int64_t, double> by_id;
  for (const auto& w : e.walks) by_id[w.nodes.front()] += w.relevance;
  auto out = torch::zeros({e.node_ids.numel()}, torch::kDouble);
  for (int64_t i = 0; i < e.node_ids.numel(); ++i) {
    const auto it = by_id.find(e.node_ids[i].item<int64_t>());
    if (it != by_id.end()) out[i] = it->second;
  }
  return out;
}

class GnnLrpArchTest : public ::testing::TestWithParam<Architecture> {
 protected:
  void SetUp() override { torch::manual_seed(0); }

  /// The layer-rule test models with set_parameters' biases.
  std::shared_ptr<gnn::GnnModel> model(gnn::Task task, gnn::Readout readout) {
    gnn::ModelSpec spec = layer_rules_test::rule_spec(GetParam(), task);
    spec.readout = readout;
    auto m = gnn::make_model(spec);
    set_parameters(*m);
    m->eval();
    return m;
  }

  /// Both tasks (graph task: each readout), gnn-lrp and lrp with the same rule.
  void expect_walks_add_up_to_lrp(const LrpOptions& rules) {
    const std::string arch = gnn::to_string(GetParam());
    const GnnLrpOptions walk_options = GnnLrpOptions()
                                           .rule(rules.rule())
                                           .epsilon(rules.epsilon())
                                           .alpha(rules.alpha())
                                           .gamma(rules.gamma())
                                           .top_walks(kAllWalks);
    for (int64_t c = 0; c < 2; ++c) {
      const TargetOptions target = TargetOptions().explained_class(c);
      const GnnLrp gnn_lrp(walk_options, target);
      const Lrp lrp(rules, target);
      std::vector<Explanation> got, want;
      for (const auto readout : {gnn::Readout::kMean, gnn::Readout::kSum, gnn::Readout::kMax}) {
        auto gm = model(gnn::Task::kGraphClassification, readout);
        const auto graphs = layer_rules_test::rule_graphs();
        const auto g = gnn_lrp.explain_graphs(*gm, graphs);
        const auto w = lrp.explain_graphs(*gm, graphs);
        got.insert(got.end(), g.begin(), g.end());
        want.insert(want.end(), w.begin(), w.end());
      }
      auto nm = model(gnn::Task::kNodeClassification, gnn::Readout::kMean);
      const Graph graph = layer_rules_test::with_edge_features(path_graph());
      const auto g = gnn_lrp.explain_nodes(*nm, graph, node_targets());
      const auto w = lrp.explain_nodes(*nm, graph, node_targets());
      got.insert(got.end(), g.begin(), g.end());
      want.insert(want.end(), w.begin(), w.end());
      ASSERT_EQ(got.size(), want.size());
      for (size_t i = 0; i < got.size(); ++i) {
        const std::string what = arch + " " + to_string(rules.rule()) + " explanation " +
                                 std::to_string(i) + " class " + std::to_string(c);
        const double y = want[i].diagnostics.at("explained_logit");
        const double tol = 1e-5 * (1 + std::abs(y));
        ASSERT_FALSE(got[i].walks.empty()) << what;
        EXPECT_EQ(static_cast<double>(got[i].walks.size()), got[i].diagnostics.at("walks")) << what;
        expect_close(relevance_by_start(got[i]), want[i].node_mask, tol, what + " by start");
        expect_close(got[i].feature_mask, want[i].feature_mask, tol, what + " features");
        EXPECT_NEAR(got[i].diagnostics.at("explained_logit"), y, 1e-9 * (1 + std::abs(y))) << what;
        EXPECT_NEAR(got[i].diagnostics.at("relevance_absorbed"),
                    want[i].diagnostics.at("relevance_absorbed"), tol)
            << what;
        EXPECT_EQ(got[i].diagnostics.at("relevance_pruned"), 0.0) << what;
        // Each walk's relevance spread over its nodes: the node map sums to the walks'.
        double walks = 0;
        for (const auto& walk : got[i].walks) walks += walk.relevance;
        EXPECT_NEAR(got[i].node_mask.sum().item<double>(), walks, tol) << what;
        // The walks ranked by |relevance|.
        for (size_t k = 1; k < got[i].walks.size(); ++k) {
          EXPECT_GE(std::abs(got[i].walks[k - 1].relevance), std::abs(got[i].walks[k].relevance))
              << what;
        }
        EXPECT_GE(got[i].diagnostics.at("walks_all"), got[i].diagnostics.at("walks")) << what;
      }
    }
  }
};

TEST_P(GnnLrpArchTest, WalksByStartNodeAreLrpsNodeRelevanceEpsilon) {
  expect_walks_add_up_to_lrp(LrpOptions().rule(LrpRule::kEpsilon).epsilon(0.1));
}

TEST_P(GnnLrpArchTest, WalksByStartNodeAreLrpsNodeRelevanceAlphaBeta) {
  expect_walks_add_up_to_lrp(LrpOptions().rule(LrpRule::kAlphaBeta).alpha(2));
}

TEST_P(GnnLrpArchTest, WalksByStartNodeAreLrpsNodeRelevanceGamma) {
  expect_walks_add_up_to_lrp(LrpOptions().rule(LrpRule::kGamma).gamma(1));
}

// Pruning keeps a subset of the exact walks, each with its exact relevance (a walk's relevance
// does not depend on the others); a bound above every layer's partial walks changes nothing.
TEST_P(GnnLrpArchTest, PruningKeepsExactWalksAndReportsWhatItDropped) {
  const std::string arch = gnn::to_string(GetParam());
  auto gm = model(gnn::Task::kGraphClassification, gnn::Readout::kSum);
  const auto graphs = layer_rules_test::rule_graphs();
  const auto options = GnnLrpOptions().top_walks(kAllWalks);
  const auto exact = GnnLrp(options).explain_graphs(*gm, graphs);
  const auto loose =
      GnnLrp(GnnLrpOptions(options).walks_per_layer(kAllWalks)).explain_graphs(*gm, graphs);
  const auto pruned = GnnLrp(GnnLrpOptions(options).walks_per_layer(2)).explain_graphs(*gm, graphs);
  double dropped = 0;
  const auto by_nodes = [](const Explanation& e) {
    std::map<std::vector<int64_t>, double> out;
    for (const auto& w : e.walks) out[w.nodes] += w.relevance;
    return out;
  };
  for (size_t i = 0; i < graphs.size(); ++i) {
    const auto exact_walks = by_nodes(exact[i]);
    const auto loose_walks = by_nodes(loose[i]);
    ASSERT_EQ(loose_walks.size(), exact_walks.size()) << arch;
    for (const auto& [nodes, relevance] : exact_walks) {
      ASSERT_EQ(loose_walks.count(nodes), 1u) << arch;
      EXPECT_NEAR(loose_walks.at(nodes), relevance, 1e-12 * (1 + std::abs(relevance))) << arch;
    }
    expect_close(loose[i].node_mask, exact[i].node_mask, 1e-6, arch + " loose node mask");
    EXPECT_LT(pruned[i].walks.size(), exact[i].walks.size()) << arch;
    for (const auto& [nodes, relevance] : by_nodes(pruned[i])) {
      ASSERT_EQ(exact_walks.count(nodes), 1u) << arch;
      EXPECT_NEAR(relevance, exact_walks.at(nodes), 1e-12 * (1 + std::abs(relevance))) << arch;
    }
    // Everything is accounted for: walks, pruned, GINE's edge features, absorbed.
    const auto& d = pruned[i].diagnostics;
    double sum = d.count("relevance_edge_features") ? d.at("relevance_edge_features") : 0.0;
    for (const auto& w : pruned[i].walks) sum += w.relevance;
    EXPECT_NEAR(sum + d.at("relevance_pruned") + d.at("relevance_absorbed"),
                d.at("explained_logit"), 1e-9)
        << arch;
    dropped += std::abs(pruned[i].diagnostics.at("relevance_pruned"));
    EXPECT_EQ(pruned[i].options.at("walks_per_layer"), "2");
  }
  EXPECT_GT(dropped, 1e-6) << arch;
}

INSTANTIATE_TEST_SUITE_P(EveryLayer, GnnLrpArchTest, ::testing::ValuesIn(kEveryArch),
                         [](const auto& info) { return gnn::to_string(info.param); });

// A 1-layer GCN, weight 1 and no bias, on the path 0 - 1 - 2 with features 1, 2, 3: the logit of
// node 1 is y = Σ_m Â_1m x_m, Â_10 = Â_12 = 1/√6 (degrees 2, 3, 2 with self-loops), Â_11 = 1/3,
// and every contribution is positive, so LRP-0 and LRP-γ both give the walk m → 1 the relevance
// Â_1m x_m.
TEST(GnnLrpHandSolvedTest, OneLayerGcnOnAThreeNodePath) {
  gnn::ModelSpec spec;
  spec.task = gnn::Task::kNodeClassification;
  spec.in_features = 1;
  spec.num_classes = 2;
  spec.hidden = 1;
  spec.num_layers = 1;
  auto model = gnn::make_model(spec);
  {
    torch::NoGradGuard no_grad;
    for (auto& p : model->named_parameters()) {
      if (p.key().find("bias") != std::string::npos) {
        p.value().zero_();
      } else if (p.key().find("head") != std::string::npos) {
        p.value().copy_(torch::tensor({{1.0}, {0.5}}));
      } else {
        p.value().fill_(1.0);
      }
    }
  }
  model->eval();
  const auto ei = torch::tensor({{0, 1, 1, 2}, {1, 0, 2, 1}}, torch::kLong);
  const Graph g(3, ei, torch::tensor({{1.0}, {2.0}, {3.0}}, torch::kFloat),
                torch::tensor({0, 0, 0}, torch::kLong));
  const double a = 1 / std::sqrt(6.0);
  const std::map<std::vector<int64_t>, double> want = {
      {{0, 1}, a * 1}, {{1, 1}, 2.0 / 3}, {{2, 1}, a * 3}};
  for (const auto& options : {GnnLrpOptions().rule(LrpRule::kEpsilon).epsilon(0),
                              GnnLrpOptions().rule(LrpRule::kGamma).gamma(1)}) {
    const auto e =
        GnnLrp(options).explain_nodes(*model, g, torch::tensor({1}, torch::kLong)).front();
    EXPECT_EQ(e.explained_class, 0);
    ASSERT_EQ(e.walks.size(), 3u);
    for (const auto& w : e.walks) {
      ASSERT_EQ(want.count(w.nodes), 1u) << w.nodes[0];
      EXPECT_NEAR(w.relevance, want.at(w.nodes), 1e-6);
    }
    EXPECT_EQ(e.walks.front().nodes, (std::vector<int64_t>{2, 1}));  // the largest first
    EXPECT_DOUBLE_EQ(e.diagnostics.at("walks"), 3);
    EXPECT_DOUBLE_EQ(e.diagnostics.at("walks_all"), 3);
    // Node map: each walk's relevance half to each of its two positions.
    std::map<int64_t, double> node;
    for (int64_t i = 0; i < e.node_ids.numel(); ++i) {
      node[e.node_ids[i].item<int64_t>()] = e.node_mask[i].item<double>();
    }
    EXPECT_NEAR(node[0], a / 2, 1e-6);
    EXPECT_NEAR(node[1], a / 2 + 2.0 / 3 + 3 * a / 2, 1e-6);
    EXPECT_NEAR(node[2], 3 * a / 2, 1e-6);
    // Edge map: the walks' relevance on the edges they step along (0→1, 2→1); the self-step is
    // no edge.
    std::map<int64_t, double> edge;
    for (int64_t i = 0; i < e.edge_ids.numel(); ++i) {
      edge[e.edge_ids[i].item<int64_t>()] = e.edge_mask[i].item<double>();
    }
    EXPECT_NEAR(edge[0], a, 1e-6);      // 0 → 1
    EXPECT_NEAR(edge[3], 3 * a, 1e-6);  // 2 → 1
    EXPECT_NEAR(edge[1] + edge[2], 0, 1e-12);
  }
}

// Node classifiers read every layer at the target: layer l's share starts walks of length
// l + 1, which end at the target too.
TEST_F(GradientMethodsTest, GnnLrpConcatenatedHeadsStartShorterWalksAtTheTarget) {
  auto model = node_model();
  ASSERT_TRUE(model->spec().concat);
  const auto e = GnnLrp(GnnLrpOptions().top_walks(kAllWalks))
                     .explain_nodes(*model, path_graph(), torch::tensor({1}, torch::kLong))
                     .front();
  std::set<size_t> lengths;
  for (const auto& w : e.walks) {
    lengths.insert(w.nodes.size());
    EXPECT_EQ(w.nodes.back(), 1);
  }
  EXPECT_EQ(lengths, (std::set<size_t>{2, 3}));
}

TEST_F(GradientMethodsTest, GnnLrpWalksRoundTripThroughJson) {
  auto model = graph_model();
  const auto graphs = graph_set();
  const auto explanations = GnnLrp(GnnLrpOptions().top_walks(4)).explain_graphs(*model, graphs);
  const auto j = nlohmann::json::parse(explanations_to_json(explanations, graphs));
  ASSERT_EQ(j["explanations"].size(), explanations.size());
  EXPECT_EQ(j["options"]["lrp_rule"], "gamma");
  EXPECT_EQ(j["options"]["top_walks"], 4);
  for (size_t i = 0; i < explanations.size(); ++i) {
    const auto& walks = j["explanations"][i]["walks"];
    const auto& want = explanations[i].walks;
    ASSERT_EQ(want.size(), 4u);
    ASSERT_EQ(walks["nodes"].size(), want.size());
    for (size_t k = 0; k < want.size(); ++k) {
      EXPECT_EQ(walks["nodes"][k].get<std::vector<int64_t>>(), want[k].nodes);
      EXPECT_NEAR(walks["relevance"][k].get<double>(), want[k].relevance,
                  1e-5 * std::abs(want[k].relevance));
    }
    EXPECT_TRUE(j["explanations"][i]["diagnostics"]["walks"].is_number());
  }
  // The other methods write no walks.
  const auto plain = Lrp().explain_graphs(*model, graphs);
  const auto k = nlohmann::json::parse(explanations_to_json(plain, graphs));
  EXPECT_FALSE(k["explanations"][0].contains("walks"));
}

TEST(GnnLrpOptionsTest, ReadsItsOptionsAndRecordsThem) {
  MethodOptions o;
  set_option(o, "lrp-rule", "gamma");
  set_option(o, "gamma", "0.5");
  set_option(o, "walks-per-layer", "7");
  set_option(o, "top-walks", "3");
  const GnnLrpOptions options = GnnLrpOptions::from(o);
  EXPECT_EQ(options.rule(), LrpRule::kGamma);
  EXPECT_EQ(options.gamma(), 0.5);
  EXPECT_EQ(options.walks_per_layer(), 7);
  EXPECT_EQ(options.top_walks(), 3);
  EXPECT_THROW(set_option(o, "gamma", "-1"), InputError);
  EXPECT_THROW(set_option(o, "walks-per-layer", "-1"), InputError);
  auto model = graph_model();
  const auto e = make_explainer("gnn-lrp", o)->explain_graphs(*model, graph_set()).front();
  EXPECT_EQ(e.method, "gnn-lrp");
  EXPECT_EQ(e.options.at("gamma"), "0.5");
  EXPECT_EQ(e.options.at("walks_per_layer"), "7");
  EXPECT_LE(e.walks.size(), 3u);
}

}  // namespace
}  // namespace gnnx::explainers::gradient_test
