// Runs the gnnx binary (path in GNNX_CLI, from CMake) and checks exit codes, JSON output and
// error messages: the contract scripts and users rely on.

#include <gnnx/gnn/model_file.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct RunResult {
  int exit_code = -1;
  std::string out;  ///< stdout
  std::string err;  ///< stderr
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Single-quotes an argument for /bin/sh.
std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("gnnx_cli_test_" + std::to_string(rd()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Runs `gnnx ARGS...` in the test's directory, capturing stdout and stderr.
  RunResult run(const std::string& args) {
    const fs::path err_file = dir_ / "stderr.txt";
    const std::string cmd = "cd " + quote(dir_.string()) + " && " + quote(GNNX_CLI) + " " +
                            args + " 2>" + quote(err_file.string()) + " </dev/null";
    RunResult r;
    FILE* pipe = popen(cmd.c_str(), "r");
    if (pipe == nullptr) return r;
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
    const int status = pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.err = read_file(err_file);
    return r;
  }

  fs::path dir_;
};

TEST_F(CliTest, TrainJsonHasAccuraciesAndWritesLoadableModel) {
  const RunResult r =
      run("--quiet train --dataset ba-shapes --seed 0 --epochs 5 --out m.gnnx --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);  // exactly one JSON object on stdout
  ASSERT_TRUE(j.is_object());
  for (const char* key : {"dataset", "train_acc", "val_acc", "test_acc", "epochs", "seconds",
                          "out"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["dataset"], "ba-shapes");
  EXPECT_EQ(j["epochs"], 5);
  EXPECT_EQ(j["out"], "m.gnnx");
  for (const char* key : {"train_acc", "val_acc", "test_acc"}) {
    EXPECT_GE(j[key].get<double>(), 0.0) << key;
    EXPECT_LE(j[key].get<double>(), 1.0) << key;
  }
  const gnnx::gnn::ModelFile file = gnnx::gnn::load_model((dir_ / "m.gnnx").string());
  EXPECT_EQ(file.metadata.at("dataset"), "ba-shapes");
  EXPECT_EQ(file.metadata.at("seed"), "0");
  EXPECT_EQ(file.model->spec().task, gnnx::gnn::Task::kNodeClassification);
}

TEST_F(CliTest, TrainGraphTaskWithFlags) {
  const RunResult r = run(
      "train --dataset ba-2motifs --epochs 2 --hidden 8 --layers 2 --readout sum --out g.gnnx "
      "--json --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["task"], "graph");
  EXPECT_EQ(j["hidden"], 8);
  EXPECT_EQ(j["layers"], 2);
  EXPECT_EQ(j["readout"], "sum");
  const gnnx::gnn::ModelFile file = gnnx::gnn::load_model((dir_ / "g.gnnx").string());
  EXPECT_EQ(file.model->spec().task, gnnx::gnn::Task::kGraphClassification);
  EXPECT_EQ(file.model->spec().readout, gnnx::gnn::Readout::kSum);
}

TEST_F(CliTest, TrainHumanSummaryReportsAccuracy) {
  const RunResult r = run("train --dataset ba-shapes --epochs 2 --out m.gnnx");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("accuracy"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("m.gnnx"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");  // stderr is not a TTY: no progress bar
}

TEST_F(CliTest, SameSeedGivesIdenticalModelFileWhateverTheThreadCount) {
  ASSERT_EQ(run("--threads 1 -q train --dataset ba-shapes --epochs 3 --seed 7 --out a.gnnx")
                .exit_code,
            0);
  ASSERT_EQ(run("--threads 2 -q train --dataset ba-shapes --epochs 3 --seed 7 --out b.gnnx")
                .exit_code,
            0);
  const std::string a = read_file(dir_ / "a.gnnx");
  EXPECT_FALSE(a.empty());
  EXPECT_TRUE(a == read_file(dir_ / "b.gnnx"));
}

TEST_F(CliTest, UnknownDatasetExitsTwoListingKnownNames) {
  const RunResult r = run("train --dataset no-such-set --out m.gnnx");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no-such-set"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ba-shapes"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "m.gnnx"));
}

TEST_F(CliTest, UnknownFlagExitsTwo) {
  const RunResult r = run("train --dataset ba-shapes --out m.gnnx --no-such-flag");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--no-such-flag"), std::string::npos) << r.err;
}

TEST_F(CliTest, MissingRequiredOptionExitsTwo) {
  const RunResult r = run("train --dataset ba-shapes");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--out"), std::string::npos) << r.err;
}

TEST_F(CliTest, InvalidValuesExitTwo) {
  EXPECT_EQ(run("train --dataset ba-shapes --out m.gnnx --epochs 0").exit_code, 2);
  EXPECT_EQ(run("train --dataset ba-shapes --out m.gnnx --readout median").exit_code, 2);
  EXPECT_EQ(run("--threads 0 datasets").exit_code, 2);
  EXPECT_EQ(run("").exit_code, 2);  // a subcommand is required
}

TEST_F(CliTest, OutIntoMissingDirectoryExitsTwoAndWritesNothing) {
  const RunResult r = run("train --dataset ba-shapes --epochs 2 --out missing/dir/m.gnnx");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing/dir"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "missing"));
  // Nothing at all was left behind (no temporary file either).
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1)
      << "only stderr.txt expected";
}

TEST_F(CliTest, OutIsADirectoryExitsTwo) {
  fs::create_directories(dir_ / "sub");
  const RunResult r = run("train --dataset ba-shapes --epochs 2 --out sub");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("directory"), std::string::npos) << r.err;
}

TEST_F(CliTest, DatasetsJsonListsEverySyntheticSet) {
  const RunResult r = run("datasets --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.is_array());
  std::vector<std::string> names;
  for (const auto& row : j) {
    names.push_back(row.at("name"));
    EXPECT_TRUE(row.contains("task"));
    EXPECT_GT(row.at("nodes").get<int64_t>(), 0);
    EXPECT_GT(row.at("classes").get<int64_t>(), 1);
    EXPECT_TRUE(row.contains("source"));
  }
  for (const char* expected :
       {"ba-shapes", "ba-community", "tree-cycles", "tree-grid", "ba-2motifs"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
}

TEST_F(CliTest, DatasetsTable) {
  const RunResult r = run("datasets");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ba-shapes"), std::string::npos);
  EXPECT_NE(r.out.find("GNNExplainer"), std::string::npos);
}

TEST_F(CliTest, HelpOnEveryCommandExitsZero) {
  for (const char* args : {"--help", "train --help", "datasets --help"}) {
    const RunResult r = run(args);
    EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.err;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << args << "\n" << r.out;
  }
  EXPECT_NE(run("train --help").out.find("--dataset"), std::string::npos);
}

}  // namespace
