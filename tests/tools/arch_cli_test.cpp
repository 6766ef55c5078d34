// `gnnx train --arch`: every layer type trains from the command line, writes a model that the
// explainers read through the model interface, and bad combinations exit 2 naming the problem.

#include <gnnx/gnn/model_file.h>

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

class ArchCliTest : public ::testing::Test {
 protected:
  gnnx::testing::TempDir temp_{"gnnx_arch_cli_test_"};
  const fs::path dir_ = temp_.path();

  RunResult run(const std::string& args) { return gnnx::testing::run_gnnx(dir_, args); }

  void expect_exit_two(const std::string& args, const std::string& message) {
    const RunResult r = run(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << "\n" << r.err;
  }
};

// The acceptance check: a GIN trained on a built-in data set is explained by saliency.
TEST_F(ArchCliTest, GinOnBa2MotifsIsExplainedBySaliency) {
  RunResult r =
      run("-q --threads 1 train --arch gin --dataset ba-2motifs --epochs 2 --hidden 8 --layers 2 "
          "--out gin.gnnx --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["arch"], "gin");
  EXPECT_EQ(j["layers"], 2);
  const auto file = gnnx::gnn::load_model((dir_ / "gin.gnnx").string());
  EXPECT_EQ(file.model->spec().arch, gnnx::gnn::Architecture::kGin);
  EXPECT_EQ(file.model->describe().layers.front().kind, "gin");

  r = run("-q --threads 1 explain --model gin.gnnx --method saliency --graphs 0:3 --out e.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto e = nlohmann::json::parse(gnnx::testing::read_whole_file(dir_ / "e.json"));
  EXPECT_EQ(e["method"], "saliency");
  ASSERT_EQ(e["explanations"].size(), 3u);
  for (const auto& x : e["explanations"]) EXPECT_FALSE(x["edges"]["id"].empty());
}

// Node task: the explainers' planned passes (a layer graph per layer) read SAGE's and GAT's
// degrees and softmaxes from their computation subgraphs.
TEST_F(ArchCliTest, SageAndGatNodeModelsAreExplained) {
  for (const std::string arch : {"sage", "gat"}) {
    RunResult r = run("-q --threads 1 train --arch " + arch +
                      " --dataset ba-shapes --epochs 2 --hidden 8 --layers 2 --heads " +
                      (arch == "gat" ? "2" : "1") + " --out " + arch + ".gnnx --json");
    ASSERT_EQ(r.exit_code, 0) << arch << "\n" << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["arch"], arch);
    r = run("-q --threads 1 explain --model " + arch +
            ".gnnx --method saliency --nodes 400:403 --out " + arch + ".json");
    ASSERT_EQ(r.exit_code, 0) << arch << "\n" << r.err;
    // GAT: guided backprop holds the attention fixed; EB treats it as propagation weights.
    for (const std::string method : {"guided-backprop", "eb"}) {
      r = run("-q --threads 1 explain --model " + arch + ".gnnx --method " + method +
              " --nodes 400:402 --out " + arch + "-" + method + ".json");
      EXPECT_EQ(r.exit_code, 0) << arch << " " << method << "\n" << r.err;
    }
  }
}

// Excitation backprop follows each layer type's rule (gradient_methods.h): GIN's MLP as a stack
// of linear layers, GraphConv's root and neighbour paths.
TEST_F(ArchCliTest, ExcitationBackpropExplainsGinAndGraphConv) {
  for (const std::string arch : {"gin", "graphconv"}) {
    ASSERT_EQ(run("-q --threads 1 train --arch " + arch +
                  " --dataset ba-2motifs --epochs 1 --hidden 8 --layers 2 --out " + arch + ".gnnx")
                  .exit_code,
              0)
        << arch;
    const RunResult r = run("-q --threads 1 explain --model " + arch +
                            ".gnnx --method eb --graphs 0:2 --out " + arch + ".json");
    ASSERT_EQ(r.exit_code, 0) << arch << "\n" << r.err;
    const auto e = nlohmann::json::parse(gnnx::testing::read_whole_file(dir_ / (arch + ".json")));
    EXPECT_EQ(e["method"], "eb");
    ASSERT_EQ(e["explanations"].size(), 2u) << arch;
    for (const auto& x : e["explanations"]) EXPECT_FALSE(x["edges"]["id"].empty()) << arch;
  }
}

TEST_F(ArchCliTest, BadArchitecturesExitTwo) {
  expect_exit_two("train --arch gcnn --dataset ba-shapes --out m.gnnx", "--arch");
  expect_exit_two("train --arch gine --dataset ba-shapes --epochs 1 --out m.gnnx", "edge features");
  expect_exit_two("train --arch sage --heads 2 --dataset ba-shapes --epochs 1 --out m.gnnx",
                  "--heads");
  expect_exit_two(
      "train --arch gat --heads 3 --hidden 8 --dataset ba-shapes --epochs 1 --out m.gnnx",
      "multiple of heads");
  expect_exit_two("train --arch gin --aggregation sum --dataset ba-shapes --epochs 1 --out m.gnnx",
                  "--aggregation applies to --arch gcn only");
  EXPECT_FALSE(fs::exists(dir_ / "m.gnnx"));
}

#ifdef GNNX_WITH_RDKIT
// Molecules give gine and gat their bond features (type one-hot, conjugated, in ring), and
// explain-mol featurises a new molecule the same way.
TEST_F(ArchCliTest, MoleculeModelsReadBondFeatures) {
  std::ofstream csv(dir_ / "mols.csv");
  csv << "smiles,active\n";
  const char* smiles[] = {"CCO", "CCN", "c1ccccc1", "CC(=O)O", "CCCl", "C=CC=C", "OCCO", "NCCN"};
  for (int i = 0; i < 8; ++i) csv << smiles[i] << "," << i % 2 << "\n";
  csv.close();
  for (const std::string arch : {"gine", "gat"}) {
    RunResult r = run("-q --threads 1 train --data mols.csv --target active --arch " + arch +
                      " --epochs 1 --hidden 8 --layers 2 --out " + arch + ".gnnx --json");
    ASSERT_EQ(r.exit_code, 0) << arch << "\n" << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["arch"], arch);
    EXPECT_EQ(j["edge_dim"], 6);  // single, double, triple, aromatic, conjugated, in ring
    r = run("-q --threads 1 explain-mol --model " + arch +
            ".gnnx --smiles 'O=[N+]([O-])c1ccccc1' --method saliency --out " + arch + ".svg");
    ASSERT_EQ(r.exit_code, 0) << arch << "\n" << r.err;
    // Excitation backprop reads the bond features too (GINE's messages; GAT's attention).
    r = run("-q --threads 1 explain-mol --model " + arch +
            ".gnnx --smiles 'O=[N+]([O-])c1ccccc1' --method eb --out " + arch + "-eb.svg");
    EXPECT_EQ(r.exit_code, 0) << arch << "\n" << r.err;
  }
  // A GCN still reads the atoms only, with the bond-type features of before.
  const RunResult r =
      run("-q --threads 1 train --data mols.csv --target active --epochs 1 --hidden 8 --out "
          "gcn.gnnx --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["edge_dim"], 0);
}
#endif

// `gnnx evaluate --arch` trains the benchmark's model with that layer type: GINE's refusal of
// edge-feature-free data proves the flag reaches the training, and --model excludes it.
TEST_F(ArchCliTest, EvaluateTrainsTheArchitectureItIsGiven) {
  expect_exit_two("-q --threads 1 evaluate --dataset ba-shapes --arch gine --method saliency",
                  "--arch gine adds edge features");
  expect_exit_two("-q evaluate --dataset ba-shapes --model m.gnnx --arch gin --method saliency",
                  "--model excludes --arch");
  const RunResult r =
      run("-q --threads 1 evaluate --dataset ba-shapes --arch gin --method saliency --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["method"], "saliency");
  EXPECT_GT(j["auc"].get<double>(), 0.0);
}

}  // namespace
