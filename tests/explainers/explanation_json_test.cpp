// Explanation files as JSON and JSON lines (gnnx/explainers/explanation_json.h), on explanations
// small enough to spell out.

#include "explainers/toy_explanations.h"

#include <gnnx/explainers/explanation_json.h>
#include <gnnx/gnn/error.h>
#include <gtest/gtest.h>
#include <support/expect_error.h>

#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

namespace gnnx::explainers {
namespace {

using gnnx::testing::expect_error;
using gnnx::testing::toy_asymmetric_explanation;
using gnnx::testing::toy_explanation;
using gnnx::testing::toy_graph;
using nlohmann::json;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The whole document, byte for byte: 6 digits, one entry per undirected edge, columns, typed
// options once, top_edges counting pairs.
TEST(ExplanationJsonTest, SymmetricMaskOnUndirectedGraphIsOneEntryPerPair) {
  const ExplanationRun run{"toy", "m.gnnx", 1.23456789};
  const std::string text =
      explanations_to_json({toy_explanation()}, {toy_graph()}, run, {/*top_k=*/2});
  EXPECT_EQ(text,
            R"({"schema":"gnnx.explanation/2","method":"saliency","task":"node","dataset":"toy",)"
            R"("model":"m.gnnx","seconds":1.23457,"precision":6,"top_k":2,)"
            R"("options":{"epochs":100,"feature_mask":true,"lr":0.01,"mode":"model"},)"
            R"("explanations":[{"target":2,"predicted_class":1,"explained_class":1,)"
            R"("probability":0.987654,"undirected_edges":true,)"
            R"("nodes":{"id":[0,1,2,3],"importance":[0.5,0.25,1,0]},)"
            R"("edges":{"id":[0,2,4,6],"source":[0,1,0,2],"target":[1,2,2,3],)"
            R"("importance":[0.123457,0.5,0.25,0.75]},)"
            R"("top_edges":{"id":[6,2],"source":[2,1],"target":[3,2],"importance":[0.75,0.5]}}]})");
}

TEST(ExplanationJsonTest, AsymmetricMaskKeepsBothDirections) {
  const json j = json::parse(
      explanations_to_json({toy_asymmetric_explanation()}, {toy_graph()}, {}, {/*top_k=*/3}));
  const json& e = j["explanations"][0];
  EXPECT_EQ(e["undirected_edges"], false);
  EXPECT_EQ(e["edges"]["id"], json({0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(e["edges"]["source"], json({0, 1, 1, 2, 0, 2, 2, 3}));
  EXPECT_EQ(e["edges"]["target"], json({1, 0, 2, 1, 2, 0, 3, 2}));
  EXPECT_EQ(e["edges"]["importance"][0], 0.123457);
  EXPECT_EQ(e["edges"]["importance"][1], 0.9);
  // Directed edges ranked: 1->0, then 2->3 and 3->2 (a tie, in edge order).
  EXPECT_EQ(e["top_edges"]["id"], json({1, 6, 7}));
  // Without a run, its fields are left out.
  for (const char* key : {"dataset", "model", "seconds"}) EXPECT_FALSE(j.contains(key)) << key;
}

TEST(ExplanationJsonTest, EdgesAreNotPairedWhenADirectionIsMissingOrTheGraphIsDirected) {
  Explanation one_way = toy_explanation();  // 0->1 without 1->0
  one_way.edge_ids = torch::tensor({0, 2, 3}, torch::kLong);
  one_way.edge_mask = torch::tensor({0.5f, 0.25f, 0.25f});
  json e = json::parse(explanations_to_json({one_way}, {toy_graph()}))["explanations"][0];
  EXPECT_EQ(e["undirected_edges"], false);
  EXPECT_EQ(e["edges"]["id"], json({0, 2, 3}));

  // A directed graph (2->3 has no reverse): even tied scores stay one entry per edge.
  const gnn::Graph directed(
      4, torch::tensor({{0, 1, 1, 2, 0, 2, 2}, {1, 0, 2, 1, 2, 0, 3}}, torch::kLong),
      torch::ones({4, 1}));
  Explanation tied = toy_explanation();
  tied.edge_ids = torch::arange(6, torch::kLong);
  tied.edge_mask = torch::tensor({0.5f, 0.5f, 0.25f, 0.25f, 0.75f, 0.75f});
  e = json::parse(explanations_to_json({tied}, {directed}))["explanations"][0];
  EXPECT_EQ(e["undirected_edges"], false);
  EXPECT_EQ(e["edges"]["id"].size(), 6u);

  // No edge mask: nothing to disagree, one entry per pair, and no importances.
  Explanation unscored = toy_explanation();
  unscored.edge_mask = torch::Tensor();
  e = json::parse(explanations_to_json({unscored}, {toy_graph()}))["explanations"][0];
  EXPECT_EQ(e["undirected_edges"], true);
  EXPECT_EQ(e["edges"]["id"], json({0, 2, 4, 6}));
  EXPECT_FALSE(e["edges"].contains("importance"));
  EXPECT_TRUE(e["top_edges"]["id"].empty());
}

TEST(ExplanationJsonTest, PrecisionIsHonoured) {
  const ExplanationRun run{"", "", 1.23456789};
  const std::string text = explanations_to_json({toy_explanation()}, {toy_graph()}, run,
                                                {/*top_k=*/12, /*precision=*/3});
  const json j = json::parse(text);
  EXPECT_EQ(j["precision"], 3);
  EXPECT_EQ(j["seconds"], 1.23);
  EXPECT_EQ(j["explanations"][0]["probability"], 0.988);
  EXPECT_EQ(j["explanations"][0]["edges"]["importance"][0], 0.123);
  EXPECT_EQ(text.find("0.1234"), std::string::npos) << text;
  // 17 digits: the float scores as they are.
  const json full = json::parse(explanations_to_json({toy_explanation()}, {toy_graph()}, {},
                                                     {/*top_k=*/12, /*precision=*/17}));
  EXPECT_EQ(full["explanations"][0]["edges"]["importance"][0].get<double>(),
            static_cast<double>(0.123456789f));
}

TEST(ExplanationJsonTest, OptionsAreTypedAndOncePerFileWhenShared) {
  Explanation a = toy_explanation(), b = toy_explanation();
  a.options = b.options = {{"seed", "18446744073709551615"},
                           {"score", "probability drop"},
                           {"edge_lap", "1e-05"},
                           {"contrastive", "false"},
                           {"layer", "-1"}};
  json j = json::parse(explanations_to_json({a, b}, {toy_graph()}));
  EXPECT_EQ(j["options"], json({{"contrastive", false},
                                {"edge_lap", 1e-05},
                                {"layer", -1},
                                {"score", "probability drop"},
                                {"seed", 18446744073709551615u}}));
  for (const json& e : j["explanations"]) EXPECT_FALSE(e.contains("options"));

  b.options["layer"] = "2";  // explanations of different options: each keeps its own
  j = json::parse(explanations_to_json({a, b}, {toy_graph()}));
  EXPECT_FALSE(j.contains("options"));
  EXPECT_EQ(j["explanations"][0]["options"]["layer"], -1);
  EXPECT_EQ(j["explanations"][1]["options"]["layer"], 2);
}

// Per-target numbers a method reports (integrated gradients' completeness gaps) go with each
// explanation, rounded as every real number; explanations without any leave the field out.
TEST(ExplanationJsonTest, DiagnosticsArePerExplanation) {
  Explanation a = toy_explanation(), b = toy_explanation();
  a.diagnostics = {{"completeness_gap_nodes", -0.0123456789}, {"completeness_gap_edges", 2.5}};
  const json j = json::parse(explanations_to_json({a, b}, {toy_graph()}));
  EXPECT_EQ(j["explanations"][0]["diagnostics"],
            json({{"completeness_gap_edges", 2.5}, {"completeness_gap_nodes", -0.0123457}}));
  EXPECT_FALSE(j["explanations"][1].contains("diagnostics"));
}

TEST(ExplanationJsonTest, JsonLinesAreTheHeaderThenOneLinePerExplanation) {
  const std::vector<Explanation> explanations{toy_explanation(), toy_asymmetric_explanation(),
                                              toy_explanation()};
  const ExplanationRun run{"toy", "m.gnnx", 2.0};
  const std::string text = explanations_to_jsonl(explanations, {toy_graph()}, run);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  const std::vector<std::string> lines = lines_of(text);
  ASSERT_EQ(lines.size(), explanations.size() + 1);
  json doc = json::parse(explanations_to_json(explanations, {toy_graph()}, run));
  const json entries = doc["explanations"];
  doc.erase("explanations");
  EXPECT_EQ(json::parse(lines[0]), doc);
  EXPECT_EQ(json::parse(lines[0])["schema"], kExplanationSchema);
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(json::parse(lines[i + 1]), entries[i]) << i;
  }
}

TEST(ExplanationJsonTest, GraphTaskExplanationsUseTheirOwnGraph) {
  Explanation e = toy_explanation();
  e.task = gnn::Task::kGraphClassification;
  e.target = 1;  // graphs[1], the toy graph; graphs[0] has no edges at all
  const std::vector<gnn::Graph> graphs{
      gnn::Graph(1, torch::zeros({2, 0}, torch::kLong), torch::ones({1, 1})), toy_graph()};
  const json j = json::parse(explanations_to_json({e}, graphs));
  EXPECT_EQ(j["task"], "graph");
  EXPECT_EQ(j["explanations"][0]["edges"]["source"], json({0, 1, 0, 2}));
  e.target = 5;
  expect_error([&] { explanations_to_json({e}, graphs); }, "no graph 5");
}

}  // namespace
}  // namespace gnnx::explainers
