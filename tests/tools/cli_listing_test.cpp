// Runs the gnnx binary (path in GNNX_CLI, from CMake) on what a user reads before and after a
// first run: `gnnx datasets`, every command's --help with its defaults, and the warning of a
// model trained to chance level.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include "support/run_cli.h"
#include "support/temp_dir.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using RunResult = gnnx::testing::CliResult;

class CliListingTest : public ::testing::Test {
 protected:
  gnnx::testing::TempDir temp_{"gnnx_cli_listing_test_"};
  const fs::path dir_ = temp_.path();

  RunResult run(const std::string& args) { return gnnx::testing::run_gnnx(dir_, args); }
};

TEST_F(CliListingTest, DatasetsJsonListsEveryBenchmarkEvaluateAccepts) {
  const RunResult r = run("datasets --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.is_array());
  std::set<std::string> names;
  for (const auto& row : j) {
    const std::string name = row.at("name");
    names.insert(name);
    EXPECT_TRUE(row.contains("task")) << name;
    EXPECT_TRUE(row.contains("source")) << name;
    EXPECT_GT(row.at("classes").get<int64_t>(), 1) << name;
    EXPECT_EQ(row.at("class_names").size(), row.at("classes").get<size_t>()) << name;
    if (row.at("family") == "synthetic") {
      EXPECT_GT(row.at("nodes").get<int64_t>(), 0) << name;
      EXPECT_GT(row.at("graphs").get<int64_t>(), 0) << name;
      EXPECT_TRUE(row.at("train_dataset").get<bool>()) << name;
    } else {
      EXPECT_EQ(row.at("family"), "molecule") << name;
      EXPECT_TRUE(row.at("nodes").is_null()) << name;  // known once the file is read
      EXPECT_TRUE(row.at("data").is_string()) << name;
      EXPECT_TRUE(row.at("data_found").is_boolean()) << name;
      EXPECT_FALSE(row.at("train_dataset").get<bool>()) << name;
    }
  }
  for (const char* expected :
       {"ba-shapes", "ba-community", "tree-cycles", "tree-grid", "ba-2motifs"}) {
    EXPECT_EQ(names.count(expected), 1u) << expected;
  }
#ifdef GNNX_WITH_RDKIT
  for (const char* expected : {"mutagenicity", "benzene", "fluoride-carbonyl", "alkane-carbonyl"}) {
    EXPECT_EQ(names.count(expected), 1u) << expected;
  }
#endif

  const RunResult e = run("evaluate --dataset no-such-set --method saliency");
  EXPECT_EQ(e.exit_code, 2);
  const size_t at = e.err.find("known: ");
  ASSERT_NE(at, std::string::npos) << e.err;
  std::set<std::string> accepted;
  std::stringstream known(e.err.substr(at + 7, e.err.find('\n', at) - at - 7));
  for (std::string name; std::getline(known, name, ',');) {
    accepted.insert(name.substr(name.find_first_not_of(' ')));
  }
  EXPECT_EQ(names, accepted);
}

TEST_F(CliListingTest, DatasetsTable) {
  const RunResult r = run("datasets");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ba-shapes"), std::string::npos);
  EXPECT_NE(r.out.find("GNNExplainer"), std::string::npos);
  EXPECT_NE(r.out.find("classes: house, cycle"), std::string::npos) << r.out;  // ba-2motifs
#ifdef GNNX_WITH_RDKIT
  EXPECT_NE(r.out.find("mutagenicity"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("classes: mutagen, nonmutagen"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Mutagenicity/tudataset"), std::string::npos) << r.out;  // its file
#endif
}

TEST_F(CliListingTest, HelpOnEveryCommandExitsZero) {
  for (const char* args : {"--help", "train --help", "datasets --help"}) {
    const RunResult r = run(args);
    EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.err;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << args << "\n" << r.out;
  }
  EXPECT_NE(run("train --help").out.find("--dataset"), std::string::npos);
}

/// The lines of `text` from the one that starts with "  <label> " up to the next line that
/// does not start with a space run as deep as the flags (a continuation line).
std::string block(const std::string& text, const std::string& label) {
  const size_t begin = text.find("\n  " + label + " ");
  if (begin == std::string::npos) return "";
  size_t end = begin + 1;
  do {
    end = text.find('\n', end + 1);
  } while (end != std::string::npos && text.compare(end + 1, 20, std::string(20, ' ')) == 0);
  return text.substr(begin + 1, end == std::string::npos ? std::string::npos : end - begin - 1);
}

// The values a data set trains with when a flag is left out are shown, not a source file's path
// (benchmarks/src/catalogue.cpp has them).
TEST_F(CliListingTest, TrainHelpShowsEachDataSetsDefaults) {
  const RunResult r = run("train --help");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("catalogue.cpp"), std::string::npos) << r.out;
  // The footer, after the option list (which has a --graph line of its own).
  const size_t footer = r.out.find("\nDefaults of the flags left out");
  ASSERT_NE(footer, std::string::npos) << r.out;
  const std::string defaults = r.out.substr(footer);
  const std::string motifs = block(defaults, "ba-2motifs");
  for (const char* value : {"--epochs 600", "--lr 0.001", "--readout max", "--edge-dropout 0.1",
                            "--aggregation sum-self", "--embedding-norm l2"}) {
    EXPECT_NE(motifs.find(value), std::string::npos) << value << "\n" << r.out;
  }
  const std::string shapes = block(defaults, "ba-shapes");
  for (const char* value : {"--epochs 1000", "--lr 0.01", "--weight-decay 0.0005"}) {
    EXPECT_NE(shapes.find(value), std::string::npos) << value << "\n" << r.out;
  }
  EXPECT_EQ(shapes.find("--readout"), std::string::npos) << "a node task has no readout";
  EXPECT_NE(block(defaults, "every one").find("--layers 3"), std::string::npos) << r.out;
  EXPECT_NE(block(defaults, "--graph").find("--hidden 128"), std::string::npos) << r.out;
#ifdef GNNX_WITH_RDKIT
  // The MUTAG TUDataset trains with its own defaults (issue 23: XGNN out of the box).
  const std::string tu = block(defaults, "--data MUTAG");
  for (const char* value : {"--readout sum", "--epochs 300", "--lr 0.01", "--hidden 64",
                            "--dropout 0.5", "--batch-size 16", "--split stratified"}) {
    EXPECT_NE(tu.find(value), std::string::npos) << value << "\n" << r.out;
  }
  // Mutagenicity: the molecule settings with a sum readout (issue 18).
  const std::string mutagenicity = block(defaults, "--data Mutagenicity");
  for (const char* value : {"--readout sum", "--epochs 100", "--lr 0.001", "--hidden 128"}) {
    EXPECT_NE(mutagenicity.find(value), std::string::npos) << value << "\n" << r.out;
  }
#endif
}

// Options with a default show it (CLI11's "=VALUE").
TEST_F(CliListingTest, HelpShowsDefaults) {
  EXPECT_NE(run("explain --help").out.find("=6"), std::string::npos);     // --precision
  EXPECT_NE(run("explain --help").out.find("=json"), std::string::npos);  // --format
  EXPECT_NE(run("evaluate --help").out.find("=0"), std::string::npos);    // --seed
  EXPECT_NE(run("--help").out.find("=auto"), std::string::npos);          // --threads
}

/// A ring of 20 nodes without features, labels alternating: every node looks the same to a GNN,
/// so every node gets the same prediction and the validation accuracy cannot beat the
/// majority class (0.5 on the stratified split).
void write_indistinguishable_ring(const fs::path& dir) {
  std::ofstream edges(dir / "edges.csv");
  std::ofstream labels(dir / "labels.csv");
  edges << "source,target\n";
  labels << "node,label\n";
  for (int i = 0; i < 20; ++i) {
    edges << i << "," << (i + 1) % 20 << "\n";
    labels << i << "," << i % 2 << "\n";
  }
}

TEST_F(CliListingTest, TrainAtChanceWarnsAndSaysSoInJson) {
  write_indistinguishable_ring(dir_);
  const std::string train =
      "--threads 1 train --edges edges.csv --labels labels.csv --epochs 5 --out ring.gnnx --json";
  const RunResult r = run(train);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("gnnx: warning: validation accuracy 0.5000 is at chance level"),
            std::string::npos)
      << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("at_chance"), true);
  EXPECT_EQ(j.at("chance_level").at("metric"), "accuracy");
  EXPECT_DOUBLE_EQ(j.at("chance_level").at("chance").get<double>(), 0.5);
  EXPECT_NE(j.at("warning").get<std::string>().find("chance level"), std::string::npos);

  // --quiet silences the warning (as gnnx's other warnings); the JSON still says it.
  const RunResult quiet = run("-q " + train);
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.err.find("warning"), std::string::npos) << quiet.err;
  EXPECT_EQ(nlohmann::json::parse(quiet.out).at("at_chance"), true);
}

TEST_F(CliListingTest, TrainedModelIsNotAtChance) {
  const RunResult r = run("-q --threads 1 train --dataset ba-shapes --out m.gnnx --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("at_chance"), false) << r.out;
  EXPECT_FALSE(j.contains("warning")) << r.out;
  EXPECT_GT(j.at("val_acc").get<double>(), j.at("chance_level").at("chance").get<double>());
}

// `explain` and `evaluate` tests share one BA-Shapes model per test process, trained for 20
// epochs: they check the command line's contract, not the explanations' quality.

}  // namespace
