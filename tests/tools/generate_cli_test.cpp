// `gnnx generate` (XGNN) from the command line: JSON and pictures for plain graphs and
// molecules, the same output for the same seed, and exit code 2 for bad input.

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "support/run_cli.h"

namespace gnnx {
namespace {

namespace fs = std::filesystem;
using testing::run_gnnx;

// Small models trained once for all tests (a few epochs: generation needs a classifier, not a
// good one).
class GenerateCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::random_device rd;
    dir_ = new fs::path(fs::temp_directory_path() / ("gnnx_generate_test_" + std::to_string(rd())));
    fs::create_directories(*dir_);
    ASSERT_EQ(
        run_gnnx(*dir_, "train --dataset ba-2motifs --epochs 5 --out motifs.gnnx -q --threads 1")
            .exit_code,
        0);
    ASSERT_EQ(
        run_gnnx(*dir_, "train --dataset ba-shapes --epochs 2 --out shapes.gnnx -q --threads 1")
            .exit_code,
        0);
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(*dir_, ec);
    delete dir_;
  }
  testing::CliResult run(const std::string& args) { return run_gnnx(*dir_, args + " --threads 1"); }

  static fs::path* dir_;
};
fs::path* GenerateCliTest::dir_ = nullptr;

const char* kQuick = " --iterations 3 --rollouts 2 --max-steps 10 -q";

TEST_F(GenerateCliTest, PlainGraphsJsonAndPictureSameForSameSeed) {
  const auto a = run(std::string("generate --model motifs.gnnx --class 0 --max-nodes 6 --num 4 "
                                 "--json --out a.dot") +
                     kQuick);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const auto j = nlohmann::json::parse(a.out);
  ASSERT_FALSE(j["graphs"].empty());
  EXPECT_LE(j["graphs"].size(), 4U);
  for (const auto& g : j["graphs"]) {
    EXPECT_EQ(g["nodes"].size(), 6U);
    EXPECT_GE(g["probability"].get<double>(), 0.0);
    EXPECT_LE(g["probability"].get<double>(), 1.0);
    EXPECT_FALSE(g.contains("smiles"));
  }
  EXPECT_NE(testing::read_whole_file(*dir_ / "a.dot").find("graph"), std::string::npos);
  const auto b = run(std::string("generate --model motifs.gnnx --class 0 --max-nodes 6 --num 4 "
                                 "--json --out b.dot") +
                     kQuick);
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(nlohmann::json::parse(b.out)["graphs"], j["graphs"]);
}

TEST_F(GenerateCliTest, RolloutInvalidFlagReachesTheGenerator) {
  const std::string base =
      "generate --model motifs.gnnx --class 0 --max-nodes 8 --min-nodes 2 --max-degree 2 "
      "--json --out r.dot" +
      std::string(kQuick);
  const auto end = run(base + " --rollout-invalid end");
  ASSERT_EQ(end.exit_code, 0) << end.err;
  const auto e = nlohmann::json::parse(end.out);
  EXPECT_GT(e["rollouts"].get<int64_t>(), 0);
  EXPECT_GT(e["broken_rollouts"].get<int64_t>(), 0);
  EXPECT_EQ(e["skipped_rollout_actions"], 0);
  const auto skip = run(base);  // the default
  ASSERT_EQ(skip.exit_code, 0) << skip.err;
  const auto s = nlohmann::json::parse(skip.out);
  EXPECT_EQ(s["broken_rollouts"], 0);
  EXPECT_GT(s["skipped_rollout_actions"].get<int64_t>(), 0);
}

TEST_F(GenerateCliTest, BadInputExitsTwo) {
  const std::string base = "generate --model motifs.gnnx" + std::string(kQuick);
  auto r = run(base + " --class 2 --out x.svg");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("class 2 is out of range"), std::string::npos) << r.err;
  r = run(base + " --class 0 --out no/such/dir/x.svg");
  EXPECT_EQ(r.exit_code, 2);
  r = run(base + " --class 0 --out x.txt");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(".svg"), std::string::npos) << r.err;
  r = run(std::string("generate --model shapes.gnnx --class 0 --out x.svg") + kQuick);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("graph classifier"), std::string::npos) << r.err;
  r = run(std::string("generate --model missing.gnnx --class 0 --out x.svg") + kQuick);
  EXPECT_EQ(r.exit_code, 2);
  r = run(base + " --class 0 --max-nodes 1 --out x.svg");
  EXPECT_EQ(r.exit_code, 2);
  r = run(base + " --class 0 --rollout-invalid stop --out x.svg");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--rollout-invalid"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(*dir_ / "x.svg"));
}

#ifdef GNNX_WITH_RDKIT
TEST_F(GenerateCliTest, MoleculesGiveValidSmilesAndAGridPicture) {
  const char* data = std::getenv("GNNX_SHARED_DATA");
  ASSERT_NE(data, nullptr);
  ASSERT_EQ(run("train --data " + std::string(data) +
                "/MUTAG/tudataset --epochs 3 "
                "--out mutag.gnnx -q")
                .exit_code,
            0);
  const auto r = run(std::string("generate --model mutag.gnnx --class 1 --max-nodes 7 --json "
                                 "--out grid.png") +
                     kQuick);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["node_types"], nlohmann::json({"C", "N", "O", "F", "I", "Cl", "Br"}));
  ASSERT_FALSE(j["graphs"].empty());
  for (const auto& g : j["graphs"]) EXPECT_FALSE(g["smiles"].get<std::string>().empty());
  EXPECT_EQ(testing::read_whole_file(*dir_ / "grid.png").substr(1, 3), "PNG");
  EXPECT_EQ(
      run(std::string("generate --model mutag.gnnx --class 1 --out grid.pdf") + kQuick).exit_code,
      2);
}
#endif

}  // namespace
}  // namespace gnnx
