// `gnnx train --data` (molecule property models): --split and --cv, the flags that only mean
// something with --data, and the warning for a model at chance level.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/run_cli.h"
#include "support/temp_dir.h"

#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using RunResult = gnnx::testing::CliResult;

// `train --data` with --split and --cv: every bad combination exits 2 with a message naming the
// flag and writes no model. A 12-molecule CSV with a binary label, a second binary label and a
// real-valued one; a run that should work is checked first, so the failures are the flags'.
class CliTrainDataTest : public ::testing::Test {
 protected:
  gnnx::testing::TempDir temp_{"gnnx_train_data_test_"};
  const fs::path dir_ = temp_.path();

  // Runs `gnnx ARGS...` in the test's directory, capturing stdout and stderr.
  RunResult run(const std::string& args) { return gnnx::testing::run_gnnx(dir_, args); }

  void SetUp() override {
    std::ofstream csv(dir_ / "mols.csv");
    csv << "smiles,active,toxic,logp\n";
    const char* smiles[] = {"CCO",  "CCN",  "CCC",  "CCCC", "c1ccccc1", "CC(=O)O",
                            "CCCl", "CCBr", "OCCO", "NCCN", "CC(C)C",   "CCOC"};
    for (int i = 0; i < 12; ++i) {
      csv << smiles[i] << "," << i % 2 << "," << (i / 3) % 2 << "," << 0.5 * i << "\n";
    }
  }
  RunResult train(const std::string& flags) {
    return run("-q --threads 1 train --data mols.csv --epochs 1 --hidden 8 --out m.gnnx " + flags);
  }
  void expect_exit_two(const std::string& flags, const std::string& message) {
    const RunResult r = train(flags);
    EXPECT_EQ(r.exit_code, 2) << flags << "\n" << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << flags << "\n" << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "m.gnnx")) << flags;
  }
};

TEST_F(CliTrainDataTest, StratifiedSplitWithCvWorksOnTheSameFile) {
  const RunResult r = train("--target active --split stratified --cv 3 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["split"], "stratified");
  EXPECT_EQ(j["cv"]["folds"], 3);
  EXPECT_EQ(j["cv"]["test_accuracy"].size(), 3u);
  EXPECT_TRUE(fs::exists(dir_ / "m.gnnx"));
}

TEST_F(CliTrainDataTest, CvOutsideTwoToHundredExitsTwo) {
  for (const char* k : {"0", "1", "-3", "101"}) {
    expect_exit_two(std::string("--target active --cv ") + k, "--cv");
  }
  expect_exit_two("--target active --cv three", "--cv");
  expect_exit_two("--target active --cv 2.5", "--cv");
  expect_exit_two("--target active --cv", "--cv");  // the value is missing
}

TEST_F(CliTrainDataTest, MoreFoldsThanMoleculesExitsTwo) {
  expect_exit_two("--target active --cv 13", "--cv 13: more folds than the 12 molecules");
  expect_exit_two("--target active --split stratified --cv 20", "more folds than the 12");
}

TEST_F(CliTrainDataTest, UnknownSplitExitsTwoNamingTheValidOnes) {
  for (const char* split : {"kfold", "Stratified", "\"\""}) {
    const RunResult r = train(std::string("--target active --split ") + split);
    EXPECT_EQ(r.exit_code, 2) << split << "\n" << r.err;
    EXPECT_NE(r.err.find("--split"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("stratified"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "m.gnnx"));
  }
}

TEST_F(CliTrainDataTest, StratifiedAndCvNeedOneBinaryTask) {
  expect_exit_two("--target active,toxic --split stratified",
                  "--split stratified needs one binary task");
  expect_exit_two("--target active,toxic --cv 3", "--cv needs one binary task");
  expect_exit_two("--target logp --task regression --split stratified",
                  "--split stratified needs one binary task");
  expect_exit_two("--target logp --task regression --cv 3", "--cv needs one binary task");
}

TEST_F(CliTrainDataTest, SplitAndCvWithoutDataExitTwo) {
  // Both only mean something for --data; with a synthetic --dataset they are refused, not ignored.
  for (const char* flags : {"--cv 5", "--split stratified"}) {
    const RunResult r =
        run(std::string("-q train --dataset ba-2motifs --epochs 1 --out m.gnnx ") + flags);
    EXPECT_EQ(r.exit_code, 2) << flags << "\n" << r.err;
    EXPECT_NE(r.err.find("--data"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "m.gnnx"));
  }
}

// One molecule twenty times with alternating labels: the model scores every copy alike, so the
// validation ROC-AUC is 0.5, at chance (<= 0.55): warned about on stderr and in the JSON.
TEST_F(CliTrainDataTest, ModelAtChanceRocAucIsWarnedAbout) {
  std::ofstream csv(dir_ / "same.csv");
  csv << "smiles,active\n";
  for (int i = 0; i < 20; ++i) csv << "CCO," << i % 2 << "\n";
  csv.close();
  const RunResult r =
      run("--threads 1 train --data same.csv --target active --split stratified --epochs 2 "
          "--hidden 8 --out m.gnnx --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("gnnx: warning: validation ROC-AUC 0.5000 is at chance level"),
            std::string::npos)
      << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("at_chance"), true);
  EXPECT_EQ(j.at("chance_level").at("metric"), "roc_auc");
  EXPECT_DOUBLE_EQ(j.at("chance_level").at("chance").get<double>(), 0.55);
  EXPECT_TRUE(j.contains("warning"));
}

// A regression model has no chance level here: no verdict, no warning.
TEST_F(CliTrainDataTest, RegressionHasNoChanceVerdict) {
  const RunResult r = train("--target logp --task regression --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(nlohmann::json::parse(r.out).at("at_chance").is_null()) << r.out;
}

}  // namespace
