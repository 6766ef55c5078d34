// `gnnx methods` and the explainer flags built from the registry's option schema.

#include <gnnx/explainers/explainer.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "support/run_cli.h"
#include "support/temp_dir.h"

namespace {

class MethodsCliTest : public ::testing::Test {
 protected:
  gnnx::testing::TempDir temp_{"gnnx_methods_cli_test_"};
  gnnx::testing::CliResult run(const std::string& args) {
    return gnnx::testing::run_gnnx(temp_.path(), args);
  }
};

TEST_F(MethodsCliTest, JsonListsEveryRegisteredMethodWithItsOptionsAndDefaults) {
  const auto r = run("methods --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), gnnx::explainers::methods().size());
  for (size_t i = 0; i < j.size(); ++i) {
    const auto& info = gnnx::explainers::methods()[i];
    EXPECT_EQ(j[i]["name"], info.name);
    EXPECT_EQ(j[i]["paper"], info.paper);
    EXPECT_EQ(j[i]["options"].size(),
              info.options.size() + gnnx::explainers::common_method_options().size());
  }
  // GNNExplainer's defaults come from GNNExplainerOptions.
  const auto& options = j[0]["options"];
  bool found = false;
  for (const auto& o : options) {
    if (o["flag"] == "--epochs") {
      EXPECT_EQ(o["default"], "100");
      EXPECT_EQ(o["values"], "integer in [1, 1000000]");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(MethodsCliTest, ExplainHelpNamesTheMethodsThatReadEachFlag) {
  const auto r = run("explain --help");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("gnnexplainer: 100"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("integrated-gradients: 50"), std::string::npos) << r.out;
}

TEST_F(MethodsCliTest, AFlagTheMethodDoesNotReadIsRefused) {
  ASSERT_EQ(run("--quiet train --dataset ba-2motifs --epochs 1 --out m.gnnx").exit_code, 0);
  const auto r =
      run("--quiet explain --model m.gnnx --method saliency --graphs 0 --dropout 0.2 "
          "--out x.json");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--dropout is not an option of saliency"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(temp_.path() / "x.json"));
}

// --ig-rule comes from the option schema; each explanation reports its completeness gaps.
TEST_F(MethodsCliTest, IntegratedGradientsRuleAndCompletenessGapsInTheFile) {
  ASSERT_EQ(run("--quiet train --dataset ba-2motifs --epochs 1 --out m.gnnx").exit_code, 0);
  for (const std::string rule : {"trapezoid", "gauss-legendre"}) {
    const auto r =
        run("--quiet explain --model m.gnnx --method integrated-gradients --graphs 0:3 "
            "--steps 4 --ig-rule " +
            rule + " --out ig.json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ifstream in(temp_.path() / "ig.json");
    const auto j = nlohmann::json::parse(in);
    EXPECT_EQ(j["options"]["rule"], rule);
    ASSERT_EQ(j["explanations"].size(), 3u);
    for (const auto& e : j["explanations"]) {
      EXPECT_TRUE(e["diagnostics"]["completeness_gap_nodes"].is_number()) << e;
      EXPECT_TRUE(e["diagnostics"]["completeness_gap_edges"].is_number()) << e;
    }
  }
}

// DeepLIFT comes from the registry alone: its summation gaps in the file, and "does not apply"
// (exit 2) on a model its rules do not cover.
TEST_F(MethodsCliTest, DeepLiftFromTheRegistry) {
  ASSERT_EQ(run("--quiet train --dataset ba-shapes --epochs 1 --out m.gnnx").exit_code, 0);
  auto r = run("--quiet explain --model m.gnnx --method deeplift --nodes 400,401 --out dl.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(temp_.path() / "dl.json");
  const auto j = nlohmann::json::parse(in);
  ASSERT_EQ(j["explanations"].size(), 2u);
  for (const auto& e : j["explanations"]) {
    EXPECT_NEAR(e["diagnostics"]["summation_gap_nodes"].get<double>(), 0.0, 1e-3) << e;
    EXPECT_TRUE(e["diagnostics"]["summation_gap_edges"].is_number()) << e;
  }
  ASSERT_EQ(run("--quiet train --dataset ba-shapes --epochs 1 --arch gat --heads 2 --hidden 8 "
                "--out gat.gnnx")
                .exit_code,
            0);
  r = run("--quiet explain --model gat.gnnx --method deeplift --nodes 400 --out x.json");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("deeplift does not apply to gat"), std::string::npos) << r.err;
}

// Shapley value sampling's --samples and --explainer-seed come from the schema: the same seed
// gives the same explanations.
TEST_F(MethodsCliTest, ShapleySamplingFromTheRegistry) {
  ASSERT_EQ(run("--quiet train --dataset ba-shapes --epochs 1 --out m.gnnx").exit_code, 0);
  nlohmann::json first;
  for (const char* out : {"s1.json", "s2.json"}) {
    const auto r =
        run(std::string("--quiet explain --model m.gnnx --method shapley-sampling --nodes 400 "
                        "--samples 2 --explainer-seed 3 --out ") +
            out);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ifstream in(temp_.path() / out);
    const auto j = nlohmann::json::parse(in);
    EXPECT_EQ(j["options"]["samples"], 2);
    EXPECT_EQ(j["options"]["seed"], 3);
    if (first.is_null()) {
      first = j["explanations"];
    } else {
      EXPECT_EQ(j["explanations"], first);
    }
  }
}

// LRP's rule and its parameters come from the schema; the file holds the per-feature relevance
// and how much relevance the biases and the stabiliser absorbed.
TEST_F(MethodsCliTest, LrpFromTheRegistry) {
  ASSERT_EQ(run("--quiet train --dataset ba-2motifs --arch gin --epochs 1 --out m.gnnx").exit_code,
            0);
  const auto r = run(
      "--quiet explain --model m.gnnx --method lrp --lrp-rule alpha-beta --alpha 2 --graphs 0:2 "
      "--out lrp.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(temp_.path() / "lrp.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["options"]["lrp_rule"], "alpha-beta");
  ASSERT_EQ(j["explanations"].size(), 2u);
  for (const auto& e : j["explanations"]) {
    EXPECT_TRUE(e["diagnostics"]["relevance_absorbed"].is_number()) << e;
    EXPECT_TRUE(e["diagnostics"]["explained_logit"].is_number()) << e;
    EXPECT_EQ(e["feature_mask"].size(), 10u) << e;  // BA-2Motifs' constant features
  }
  const auto wrong =
      run("--quiet explain --model m.gnnx --method saliency --graphs 0 --epsilon 0.1 --out x.json");
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("--epsilon is not an option of saliency"), std::string::npos)
      << wrong.err;
}

// GNN-LRP's walks come out in the file, at most --top-walks per target, with the walk counts
// and what the pruning dropped.
TEST_F(MethodsCliTest, GnnLrpWritesItsTopWalks) {
  ASSERT_EQ(run("--quiet train --dataset ba-2motifs --epochs 1 --out m.gnnx").exit_code, 0);
  const auto r =
      run("--quiet explain --model m.gnnx --method gnn-lrp --walks-per-layer 5 --top-walks 3 "
          "--graphs 0:2 --out walks.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(temp_.path() / "walks.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["method"], "gnn-lrp");
  EXPECT_EQ(j["options"]["lrp_rule"], "gamma");
  EXPECT_EQ(j["options"]["walks_per_layer"], 5);
  ASSERT_EQ(j["explanations"].size(), 2u);
  for (const auto& e : j["explanations"]) {
    ASSERT_EQ(e["walks"]["nodes"].size(), 3u) << e;
    ASSERT_EQ(e["walks"]["relevance"].size(), 3u) << e;
    EXPECT_EQ(e["walks"]["nodes"][0].size(), 4u) << e;  // 3 layers: 4 nodes
    EXPECT_TRUE(e["diagnostics"]["walks"].is_number()) << e;
    EXPECT_TRUE(e["diagnostics"]["walks_all"].is_number()) << e;
    EXPECT_TRUE(e["diagnostics"]["relevance_pruned"].is_number()) << e;
  }
  const auto wrong = run(
      "--quiet explain --model m.gnnx --method lrp --graphs 0 --walks-per-layer 3 --out x.json");
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("--walks-per-layer is not an option of lrp"), std::string::npos)
      << wrong.err;
}

// PGExplainer from the registry: trained on other targets (--fit-targets), the same file for
// one and two threads (all but the seconds taken), and `evaluate` scores it; its bad input
// exits 2.
TEST_F(MethodsCliTest, PgExplainerTrainsOnOtherTargetsTheSameForAnyThreadCount) {
  ASSERT_EQ(run("--quiet train --dataset ba-shapes --epochs 20 --out m.gnnx").exit_code, 0);
  nlohmann::json first;
  for (const char* threads : {"1", "2"}) {
    const auto r = run(std::string("--quiet --threads ") + threads +
                       " explain --model m.gnnx --method pgexplainer --nodes 400:420:5 "
                       "--epochs 4 --fit-targets 300:340 --explainer-seed 2 --out p.json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ifstream in(temp_.path() / "p.json");
    auto j = nlohmann::json::parse(in);
    j.erase("seconds");  // the file's only field that may differ
    if (first.is_null()) {
      first = j;
      EXPECT_EQ(j["method"], "pgexplainer");
      EXPECT_EQ(j["options"]["fit_targets"], "300:340");
      EXPECT_EQ(j["options"]["epochs"], 4);
      ASSERT_EQ(j["explanations"].size(), 4u);
      EXPECT_EQ(j["explanations"][0]["diagnostics"]["fit_targets"], 40);
    } else {
      EXPECT_EQ(j, first) << "--threads " << threads;
    }
  }
  const auto e =
      run("--quiet evaluate --dataset ba-shapes --model m.gnnx --method pgexplainer --epochs 3 "
          "--json");
  ASSERT_EQ(e.exit_code, 0) << e.err;
  const auto j = nlohmann::json::parse(e.out);
  EXPECT_EQ(j["method"], "pgexplainer");
  EXPECT_GE(j["auc"].get<double>(), 0.0);
  EXPECT_LE(j["auc"].get<double>(), 1.0);
  for (const auto& [flags, message] : std::vector<std::pair<std::string, std::string>>{
           {"--fit-targets 690:720", "--fit-targets: 700 is out of range [0, 700)"},
           {"--fit-targets 5:x", "invalid value '5:x'"},
           {"--temperature-end 0", "invalid value '0'"}}) {
    const auto r = run("--quiet explain --model m.gnnx --method pgexplainer --nodes 400 " + flags +
                       " --out bad.json");
    EXPECT_EQ(r.exit_code, 2) << flags;
    EXPECT_NE(r.err.find(message), std::string::npos) << flags << ": " << r.err;
    EXPECT_FALSE(std::filesystem::exists(temp_.path() / "bad.json"));
  }
}

// GraphMask from the registry: node targets trained on other targets, the same file for one and
// two threads, graph targets, `evaluate` scores it; its bad input exits 2.
TEST_F(MethodsCliTest, GraphMaskExplainsNodesAndGraphsTheSameForAnyThreadCount) {
  ASSERT_EQ(run("--quiet train --dataset ba-shapes --epochs 20 --out m.gnnx").exit_code, 0);
  nlohmann::json first;
  for (const char* threads : {"1", "2"}) {
    const auto r = run(std::string("--quiet --threads ") + threads +
                       " explain --model m.gnnx --method graphmask --nodes 400:420:5 "
                       "--epochs 3 --fit-targets 300:320 --edge-size 2 --out g.json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ifstream in(temp_.path() / "g.json");
    auto j = nlohmann::json::parse(in);
    j.erase("seconds");  // the file's only field that may differ
    if (first.is_null()) {
      first = j;
      EXPECT_EQ(j["method"], "graphmask");
      EXPECT_EQ(j["options"]["fit_targets"], "300:320");
      EXPECT_EQ(j["options"]["penalty_scaling"], 2);
      ASSERT_EQ(j["explanations"].size(), 4u);
      EXPECT_EQ(j["explanations"][0]["diagnostics"]["fit_targets"], 20);
    } else {
      EXPECT_EQ(j, first) << "--threads " << threads;
    }
  }
  const auto e =
      run("--quiet evaluate --dataset ba-shapes --model m.gnnx --method graphmask --epochs 2 "
          "--json");
  ASSERT_EQ(e.exit_code, 0) << e.err;
  const auto j = nlohmann::json::parse(e.out);
  EXPECT_EQ(j["method"], "graphmask");
  EXPECT_GE(j["auc"].get<double>(), 0.0);
  EXPECT_LE(j["auc"].get<double>(), 1.0);
  for (const auto& [flags, message] : std::vector<std::pair<std::string, std::string>>{
           {"--edge-size 11", "penalty scaling must be in [0, 10]"},
           {"--fit-targets 5:x", "invalid value '5:x'"},
           {"--temperature-end 2", "--temperature-end is not an option of graphmask"}}) {
    const auto r = run("--quiet explain --model m.gnnx --method graphmask --nodes 400 " + flags +
                       " --out bad.json");
    EXPECT_EQ(r.exit_code, 2) << flags;
    EXPECT_NE(r.err.find(message), std::string::npos) << flags << ": " << r.err;
    EXPECT_FALSE(std::filesystem::exists(temp_.path() / "bad.json"));
  }
  ASSERT_EQ(run("--quiet train --dataset ba-2motifs --epochs 1 --out g.gnnx").exit_code, 0);
  const auto g = run(
      "--quiet explain --model g.gnnx --method graphmask --graphs 0:3 --epochs 2 --out gg.json");
  ASSERT_EQ(g.exit_code, 0) << g.err;
  std::ifstream in(temp_.path() / "gg.json");
  const auto gj = nlohmann::json::parse(in);
  ASSERT_EQ(gj["explanations"].size(), 3u);
  EXPECT_EQ(gj["explanations"][2]["target"], 2);
}

// The random baseline: seeded, its seed in the file, another seed other scores.
TEST_F(MethodsCliTest, RandomExplainerIsSeeded) {
  ASSERT_EQ(run("--quiet train --dataset ba-2motifs --epochs 1 --out m.gnnx").exit_code, 0);
  std::vector<nlohmann::json> runs;
  for (const char* seed : {"3", "3", "4"}) {
    const auto r = run(std::string("--quiet explain --model m.gnnx --method random --graphs 0:2 "
                                   "--explainer-seed ") +
                       seed + " --out r.json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ifstream in(temp_.path() / "r.json");
    runs.push_back(nlohmann::json::parse(in));
  }
  EXPECT_EQ(runs[0]["options"]["seed"], 3);
  EXPECT_EQ(runs[0]["explanations"], runs[1]["explanations"]);
  EXPECT_NE(runs[0]["explanations"], runs[2]["explanations"]);
}

// CF-GNNExplainer from the registry: each explanation's counterfactual in the file, consistent
// with itself; evaluate's flip rate and counterfactual size, "-" / null for other methods.
TEST_F(MethodsCliTest, CfGnnExplainerWritesItsCounterfactuals) {
  ASSERT_EQ(run("--quiet train --dataset tree-cycles --epochs 5 --out m.gnnx").exit_code, 0);
  auto r =
      run("--quiet explain --model m.gnnx --method cf-gnnexplainer --nodes 511,520,600 --epochs 40 "
          "--momentum 0.9 --out cf.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(temp_.path() / "cf.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["method"], "cf-gnnexplainer");
  EXPECT_EQ(j["options"]["epochs"], 40);
  EXPECT_EQ(j["options"]["momentum"], 0.9);
  ASSERT_EQ(j["explanations"].size(), 3u);
  for (const auto& e : j["explanations"]) {
    const auto& cf = e["counterfactual"];
    ASSERT_TRUE(cf["flipped"].is_boolean()) << e;
    const auto& deleted = cf["deleted_edges"];
    ASSERT_EQ(deleted["id"].size(), deleted["source"].size()) << e;
    // Tree-Cycles is undirected: one row per deleted edge, as many as the size.
    EXPECT_EQ(deleted["id"].size(), cf["size"].get<size_t>()) << e;
    if (cf["flipped"]) {
      EXPECT_NE(cf["new_class"], e["explained_class"]) << e;
      EXPECT_GE(cf["size"].get<int>(), 1) << e;
    } else {
      EXPECT_TRUE(cf["new_class"].is_null()) << e;
      EXPECT_EQ(cf["size"], 0) << e;
    }
  }
  r =
      run("--quiet evaluate --dataset tree-cycles --model m.gnnx --method cf-gnnexplainer,saliency "
          "--epochs 20 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = nlohmann::json::parse(r.out);
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_TRUE(rows[0]["flip_rate"].is_number()) << rows[0];
  EXPECT_GE(rows[0]["flip_rate"].get<double>(), 0.0);
  EXPECT_LE(rows[0]["flip_rate"].get<double>(), 1.0);
  EXPECT_TRUE(rows[0]["cf_size"].is_number() || rows[0]["flip_rate"] == 0.0) << rows[0];
  EXPECT_TRUE(rows[1]["flip_rate"].is_null()) << rows[1];
  EXPECT_TRUE(rows[1]["cf_size"].is_null()) << rows[1];
  r =
      run("--quiet evaluate --dataset tree-cycles --model m.gnnx --method cf-gnnexplainer "
          "--epochs 20");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("cf-size"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("flip: fraction of targets"), std::string::npos) << r.out;
}

// PGM-Explainer from the registry: its options in the file, the picked nodes (scores above one
// half) counted in each explanation's diagnostics, the same file for one and two threads; evaluate
// scores it (node and graph task); bad values exit 2.
TEST_F(MethodsCliTest, PgmExplainerWritesItsPickedNodes) {
  ASSERT_EQ(run("--quiet train --dataset ba-shapes --epochs 5 --out m.gnnx").exit_code, 0);
  nlohmann::json first;
  for (const char* threads : {"1", "2"}) {
    const auto r = run(std::string("--quiet --threads ") + threads +
                       " explain --model m.gnnx --method pgm-explainer --nodes 400,511 "
                       "--samples 40 --perturbation randint --top-nodes 4 --out p.json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ifstream in(temp_.path() / "p.json");
    auto j = nlohmann::json::parse(in);
    j.erase("seconds");
    if (first.is_null()) {
      first = j;
      EXPECT_EQ(j["method"], "pgm-explainer");
      EXPECT_EQ(j["options"]["samples"], 40);
      EXPECT_EQ(j["options"]["perturbation"], "randint");
      ASSERT_EQ(j["explanations"].size(), 2u);
      for (const auto& e : j["explanations"]) {
        // The picked nodes are those scoring above one half, as many as --top-nodes.
        EXPECT_EQ(e["diagnostics"]["selected_nodes"], 4) << e;
        const auto& importance = e["nodes"]["importance"];
        EXPECT_EQ(std::count_if(importance.begin(), importance.end(),
                                [](const auto& v) { return v.template get<double>() > 0.5; }),
                  4)
            << e;
      }
    } else {
      EXPECT_EQ(j, first) << "--threads " << threads;
    }
  }
  auto r =
      run("--quiet evaluate --dataset ba-shapes --model m.gnnx --method pgm-explainer "
          "--samples 20 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["method"], "pgm-explainer");
  EXPECT_GE(j["auc"].get<double>(), 0.0);
  EXPECT_LE(j["auc"].get<double>(), 1.0);
  ASSERT_EQ(run("--quiet train --dataset ba-2motifs --epochs 1 --out g.gnnx").exit_code, 0);
  r =
      run("--quiet evaluate --dataset ba-2motifs --model g.gnnx --method pgm-explainer "
          "--samples 16 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  EXPECT_GE(j["auc"].get<double>(), 0.0);
  for (const auto& [flags, message] : std::vector<std::pair<std::string, std::string>>{
           {"--perturbation gauss", "invalid value 'gauss'"},
           {"--perturb-fraction 0", "invalid value '0'"},
           {"--top-nodes -1", "invalid value '-1'"}}) {
    r = run("--quiet explain --model g.gnnx --method pgm-explainer --graphs 0 " + flags +
            " --out bad.json");
    EXPECT_EQ(r.exit_code, 2) << flags;
    EXPECT_NE(r.err.find(message), std::string::npos) << flags << ": " << r.err;
    EXPECT_FALSE(std::filesystem::exists(temp_.path() / "bad.json"));
  }
}

// SubgraphX from the registry: each explanation's chosen subgraph in the file (at most
// --max-nodes nodes, holding the node target, its edges ranked first), the options as used;
// evaluate scores it on a graph task; a value outside the schema is refused.
TEST_F(MethodsCliTest, SubgraphXWritesItsChosenSubgraph) {
  ASSERT_EQ(run("--quiet train --dataset ba-shapes --epochs 5 --out m.gnnx").exit_code, 0);
  auto r =
      run("--quiet explain --model m.gnnx --method subgraphx --nodes 400,405 --rollouts 3 "
          "--samples 10 --max-nodes 4 --explainer-seed 2 --out s.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(temp_.path() / "s.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["method"], "subgraphx");
  EXPECT_EQ(j["options"]["rollouts"], 3);
  EXPECT_EQ(j["options"]["max-nodes"], 4);
  ASSERT_EQ(j["explanations"].size(), 2u);
  for (const auto& e : j["explanations"]) {
    const auto& sub = e["subgraph"];
    const auto nodes = sub["nodes"].get<std::vector<int64_t>>();
    EXPECT_LE(nodes.size(), 4u) << e;
    EXPECT_NE(std::find(nodes.begin(), nodes.end(), e["target"].get<int64_t>()), nodes.end()) << e;
    EXPECT_TRUE(sub["shapley"].is_number()) << e;
    EXPECT_GE(sub["explored"].get<int64_t>(), 1) << e;
    EXPECT_GE(sub["evaluated"].get<int64_t>(), 1) << e;
  }
  ASSERT_EQ(run("--quiet train --dataset ba-2motifs --epochs 5 --out g.gnnx").exit_code, 0);
  r =
      run("--quiet evaluate --dataset ba-2motifs --model g.gnnx --method subgraphx --graphs 0:4 "
          "--rollouts 2 --samples 5 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto row = nlohmann::json::parse(r.out);
  EXPECT_TRUE(row["auc"].is_number()) << row;
  r = run("--quiet explain --model m.gnnx --method subgraphx --nodes 400 --rollouts 0");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--rollouts"), std::string::npos) << r.err;
}

TEST_F(MethodsCliTest, ValuesOutsideTheSchemaAreRefused) {
  for (const char* bad :
       {"--lr inf", "--lr 0", "--epochs 0x10", "--dropout 1", "--steps -3", "--ig-rule simpson",
        "--alpha 0.5", "--epsilon -1", "--lrp-rule z", "--gamma -1", "--walks-per-layer -2",
        "--top-walks x", "--momentum 1", "--momentum -0.5"}) {
    const auto r = run(std::string("--quiet explain --model m.gnnx --method gnnexplainer ") + bad);
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
    // Refused by the flag's own check, before the (missing) model is read.
    EXPECT_NE(r.err.find("invalid value"), std::string::npos) << bad << ": " << r.err;
    const std::string flag = std::string(bad).substr(0, std::string(bad).find(' '));
    EXPECT_EQ(r.err.find(flag + ": " + flag), std::string::npos) << "flag named twice: " << r.err;
  }
}

}  // namespace
