// `gnnx evaluate` on the molecule benchmarks end to end: bad data set names and models of the
// wrong kind exit with code 2, the JSON fields, --limit, --method all, a model file from
// `gnnx train --data`, the same result twice for one seed, and a small run on the real
// Mutagenicity data. The graph-attribution runs use a hand-made fluoride-carbonyl folder
// (--data-dir) so that training takes a moment.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "support/run_cli.h"

namespace {

namespace fs = std::filesystem;
using gnnx::testing::run_gnnx;

// The rule [FX1] AND [CX3]=O; atom indices in SMILES order, the carbonyl as (C, O).
const char* kLogic7 =
    "index,mol_id,smiles,label,label_in_source_csv,split,n_atoms,gt_union_atoms,gt_rule_matches,"
    "n_gt_masks\n";
struct Row {
  const char* smiles;
  int label;
  int atoms;
  const char* gt_union;
  const char* matches;
  int masks;
};
const Row kPositives[] = {
    {"CC(=O)F", 1, 4, "1 2 3", "fluoride=3;carbonyl=1,2", 1},
    {"FCCC(=O)C", 1, 6, "0 3 4", "fluoride=0;carbonyl=3,4", 1},
    {"O=C(F)c1ccccc1", 1, 9, "0 1 2", "fluoride=2;carbonyl=1,0", 1},
    {"FC(F)CC=O", 1, 6, "0 2 4 5", "fluoride=0|2;carbonyl=4,5", 3},
    {"FCC(=O)CC(=O)C", 1, 8, "0 2 3 5 6", "fluoride=0;carbonyl=2,3|5,6", 3},
    {"O=CCCF", 1, 5, "0 1 4", "fluoride=4;carbonyl=1,0", 1},
};
const Row kNegatives[] = {
    {"CCO", 0, 3, "", "", 0},     {"CCCC", 0, 4, "", "", 0},    {"c1ccccc1", 0, 6, "", "", 0},
    {"CC(=O)C", 0, 4, "", "", 0}, {"FCCC", 0, 4, "", "", 0},    {"CCN", 0, 3, "", "", 0},
    {"OCCF", 0, 4, "", "", 0},    {"CC(C)=O", 0, 4, "", "", 0},
};

class EvaluateMolCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("gnnx_evaluate_mol_test_" + std::to_string(rd()));
    fs::create_directories(dir_ / "data" / "graph_attribution");
    std::ofstream csv(dir_ / "data" / "graph_attribution" / "logic7_gt.csv");
    csv << kLogic7;
    int index = 0;
    auto write = [&](const Row& r, const char* split) {
      csv << index << ",Z" << index << "," << r.smiles << "," << r.label << "," << r.label << ","
          << split << "," << r.atoms << "," << r.gt_union << ",\"" << r.matches << "\"," << r.masks
          << "\n";
      ++index;
    };
    // Training: the first four positives and every negative, five times over; test: the last
    // three positives (the targets) and two negatives (not explained).
    for (int copy = 0; copy < 5; ++copy) {
      for (int i = 0; i < 4; ++i) write(kPositives[i], "train");
      for (const Row& r : kNegatives) write(r, "train");
    }
    for (int i = 3; i < 6; ++i) write(kPositives[i], "test");
    write(kNegatives[0], "test");
    write(kNegatives[3], "test");
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  static std::string data_dir() { return (dir_ / "data").string(); }
  // --train-epochs only when a model is trained: with --model it is refused (it would not apply).
  static std::string fluoride(const std::string& extra) {
    const bool trains = extra.find("--model") == std::string::npos;
    return "--threads 1 -q evaluate --dataset fluoride-carbonyl --data-dir " + data_dir() +
           (trains ? " --train-epochs 5 " : " ") + extra;
  }
  static fs::path dir_;
};
fs::path EvaluateMolCliTest::dir_;

TEST_F(EvaluateMolCliTest, UnknownDataSetExitsTwoListingBothKinds) {
  const auto r = run_gnnx(dir_, "evaluate --dataset benzen --method saliency");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  for (const char* name : {"benzen'", "ba-shapes", "mutagenicity", "benzene", "fluoride-carbonyl",
                           "alkane-carbonyl"}) {
    EXPECT_NE(r.err.find(name), std::string::npos) << name << " missing from: " << r.err;
  }
}

TEST_F(EvaluateMolCliTest, JsonFieldsForOneMethod) {
  const auto r = run_gnnx(dir_, fluoride("--method saliency --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["dataset"], "fluoride-carbonyl");
  EXPECT_EQ(j["method"], "saliency");
  EXPECT_EQ(j["targets"], 3);  // the test split's positives only
  EXPECT_EQ(j["explained_class"], 1);
  EXPECT_EQ(j["ground_truth"], "atoms");
  EXPECT_EQ(j["scores_from"], "node mask");
  ASSERT_TRUE(j["auc"].is_number());
  EXPECT_GE(j["auc"].get<double>(), 0.0);
  EXPECT_LE(j["auc"].get<double>(), 1.0);
  EXPECT_NE(j["model"].get<std::string>().find("trained"), std::string::npos);
  EXPECT_TRUE(j["seconds"].is_number());

  // One seed, one result.
  const auto again = run_gnnx(dir_, fluoride("--method saliency --json"));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(again.out)["auc"], j["auc"]);
}

TEST_F(EvaluateMolCliTest, AllMethodsWithLimit) {
  const auto r = run_gnnx(dir_, fluoride("--method all --limit 2 --json --epochs 20"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto list = nlohmann::json::parse(r.out);
  ASSERT_TRUE(list.is_array());
  EXPECT_GE(list.size(), 10u);
  int scored = 0;
  for (const auto& row : list) {
    if (row.contains("error")) continue;  // e.g. cam on a model with a hidden head layer
    EXPECT_EQ(row["targets"], 2) << row.dump();
    ++scored;
  }
  EXPECT_GE(scored, 10);
}

TEST_F(EvaluateMolCliTest, ModelFileFromTrainData) {
  const std::string csv = data_dir() + "/graph_attribution/logic7_gt.csv";
  auto r = run_gnnx(
      dir_, "--threads 1 -q train --data " + csv + " --target label --epochs 3 --out logic7.gnnx");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_gnnx(dir_, fluoride("--method grad-cam --model logic7.gnnx --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["model"], "logic7.gnnx");
  EXPECT_EQ(j["targets"], 3);

  // The same data with other atom features: refused, naming the difference.
  r = run_gnnx(dir_, "--threads 1 -q train --data " + csv +
                         " --target label --featurizer mutag --epochs 1 --out mutag.gnnx");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_gnnx(dir_, fluoride("--method saliency --model mutag.gnnx"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("atom features"), std::string::npos) << r.err;
}

TEST_F(EvaluateMolCliTest, ModelOfTheWrongKindExitsTwo) {
  auto r = run_gnnx(dir_, "--threads 1 -q train --dataset ba-2motifs --epochs 1 --out syn.gnnx");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_gnnx(dir_, fluoride("--method saliency --model syn.gnnx"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not a binary molecule classifier"), std::string::npos) << r.err;
  r = run_gnnx(dir_, fluoride("--method saliency --model missing.gnnx"));
  EXPECT_EQ(r.exit_code, 2);
}

TEST_F(EvaluateMolCliTest, BadInputExitsTwo) {
  auto r = run_gnnx(dir_, "evaluate --dataset benzene --method saliency --data-dir " +
                              (dir_ / "nowhere").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("benzene_gt.csv.gz"), std::string::npos) << r.err;
  r = run_gnnx(dir_, fluoride("--method no-such-method"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("saliency"), std::string::npos) << r.err;
  r = run_gnnx(dir_, fluoride("--method saliency --limit 0"));
  EXPECT_EQ(r.exit_code, 2);
  r = run_gnnx(dir_, fluoride("--method saliency --device cuda"));
  EXPECT_EQ(r.exit_code, 2);  // without a GPU, or with one: molecules run on the CPU
}

TEST_F(EvaluateMolCliTest, MutagenicityEdgesOnTheRealData) {
  const char* shared = std::getenv("GNNX_SHARED_DATA");
  if (shared == nullptr || !fs::exists(fs::path(shared) / "Mutagenicity" / "tudataset")) {
    GTEST_SKIP() << "Mutagenicity not found under GNNX_SHARED_DATA";
  }
  const auto r = run_gnnx(dir_,
                          "--threads 1 -q evaluate --dataset mutagenicity --method saliency "
                          "--train-epochs 1 --limit 5 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["targets"], 5);
  EXPECT_EQ(j["explained_class"], 0);  // the mutagen class
  EXPECT_EQ(j["ground_truth"], "edges");
  EXPECT_EQ(j["scores_from"], "edge mask");
  ASSERT_TRUE(j["auc"].is_number());
}

}  // namespace
