// `gnnx train` on the user's own graphs (--edges/--features/--labels/--gt-edges/--gt-nodes, and
// --graph for a TUDataset folder), then `gnnx explain` and `gnnx evaluate` on the model: the
// same scores as the built-in path on an exported BA-Shapes, files that moved or changed since
// training, bad files, and data without ground truth.

#include <gnnx/datasets/synthetic.h>
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
using nlohmann::json;

class GraphFilesCliTest : public ::testing::Test {
 protected:
  gnnx::testing::TempDir temp_{"gnnx_graph_files_cli_test_"};
  const fs::path dir_ = temp_.path();

  RunResult run(const std::string& args) { return gnnx::testing::run_gnnx(dir_, args); }

  void write(const fs::path& name, const std::string& text) {
    fs::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name) << text;
  }

  void expect_exit_two(const std::string& args, const std::string& message) {
    const RunResult r = run(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << "\n" << r.err;
  }

  /// A small node task: two 6-rings (classes 0 and 1) joined by an edge, the second ring's
  /// edges as ground truth; features: one-hot class with a bit of noise in row order.
  void write_small_task() {
    std::string edges = "source,target\n", labels = "node,label\n", x, gt = "source,target\n";
    for (int c = 0; c < 2; ++c) {
      for (int i = 0; i < 6; ++i) {
        const int u = 6 * c + i, v = 6 * c + (i + 1) % 6;
        edges += std::to_string(u) + "," + std::to_string(v) + "\n";
        if (c == 1) gt += std::to_string(u) + "," + std::to_string(v) + "\n";
        labels += std::to_string(u) + "," + (c ? "ring" : "base") + "\n";
        x += std::string(c ? "0,1," : "1,0,") + std::to_string(0.1 * i) + "\n";
      }
    }
    edges += "0,6\n";
    write("edges.csv", edges);
    write("labels.csv", labels);
    write("x.csv", x);
    write("gt.csv", gt);
  }

  RunResult train_small(const std::string& extra = "") {
    return run(
        "-q --threads 1 train --edges edges.csv --features x.csv --labels labels.csv --epochs 5 "
        "--hidden 8 --out m.gnnx --json " +
        extra);
  }

  /// Eight small graphs in the TUDataset format: even graphs a triangle with a tail (class
  /// label 1, the triangle's edges the ground truth), odd graphs a path of four (label -1).
  void write_tu_folder(const fs::path& folder) {
    std::string a, indicator, labels, gt;
    int first = 1;
    for (int g = 0; g < 8; ++g) {
      const bool triangle = g % 2 == 0;
      const int pairs[4][2] = {{0, 1}, {1, 2}, {2, 3}, {2, 0}};
      for (int k = 0; k < (triangle ? 4 : 3); ++k) {
        for (int dir = 0; dir < 2; ++dir) {
          const int u = first + pairs[k][dir], v = first + pairs[k][1 - dir];
          a += std::to_string(u) + ", " + std::to_string(v) + "\n";
          gt += triangle && k != 2 ? "1\n" : "0\n";
        }
      }
      for (int i = 0; i < 4; ++i) indicator += std::to_string(g + 1) + "\n";
      labels += triangle ? "1\n" : "-1\n";
      first += 4;
    }
    write(folder / "TOY_A.txt", a);
    write(folder / "TOY_graph_indicator.txt", indicator);
    write(folder / "TOY_graph_labels.txt", labels);
    write(folder / "TOY_edge_gt.txt", gt);
  }
};

// BA-Shapes written to files trains into the same model as the built-in set, and its
// explanations score the same: the reader stores the graph exactly as the generator does.
TEST_F(GraphFilesCliTest, ExportedBaShapesTrainsAndScoresAsTheBuiltIn) {
  const gnnx::datasets::Dataset ds = gnnx::datasets::make_synthetic("ba-shapes", 0);
  const gnnx::gnn::Graph& g = ds.graphs.front();
  {
    std::ofstream edges(dir_ / "edges.csv"), gt(dir_ / "gt.csv"), x(dir_ / "x.csv"),
        labels(dir_ / "labels.csv");
    edges << "source,target\n";
    labels << "node,label\n";
    const auto ei = g.edge_index().accessor<int64_t, 2>();
    const auto mask = ds.gt_edge_mask.front().to(torch::kLong);
    for (int64_t k = 0; k < g.num_edges(); ++k) {
      if (ei[0][k] > ei[1][k]) continue;  // one line per undirected edge
      edges << ei[0][k] << "," << ei[1][k] << "\n";
      if (mask[k].item<int64_t>()) gt << ei[1][k] << "," << ei[0][k] << "\n";  // any direction
    }
    for (int64_t i = 0; i < g.num_nodes(); ++i) {
      labels << i << "," << g.y()[i].item<int64_t>() << "\n";
      for (int64_t f = 0; f < g.num_features(); ++f) {
        x << (f ? "," : "") << g.x()[i][f].item<float>();
      }
      x << "\n";
    }
  }
  const std::string settings = " --epochs 30 --seed 0 --json";
  RunResult r = run("-q --threads 1 train --dataset ba-shapes --out builtin.gnnx" + settings);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json builtin = json::parse(r.out);
  r =
      run("-q --threads 1 train --edges edges.csv --features x.csv --labels labels.csv --gt-edges "
          "gt.csv --out mine.gnnx" +
          settings);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json mine = json::parse(r.out);
  for (const char* key : {"train_acc", "val_acc", "test_acc", "best_epoch"}) {
    EXPECT_EQ(mine[key], builtin[key]) << key;
  }
  const auto a = gnnx::gnn::load_model((dir_ / "builtin.gnnx").string());
  const auto b = gnnx::gnn::load_model((dir_ / "mine.gnnx").string());
  const auto pa = a.model->parameters(), pb = b.model->parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (size_t i = 0; i < pa.size(); ++i) EXPECT_TRUE(torch::equal(pa[i], pb[i])) << i;
  EXPECT_EQ(b.card.data_files.size(), 4u);  // edges, features, labels, gt-edges
  EXPECT_EQ(b.card.class_names, (std::vector<std::string>{"class0", "class1", "class2", "class3"}));

  // The same model on the built-in data set and on the files, at BA-Shapes' targets.
  r = run("-q --threads 1 evaluate --dataset ba-shapes --model mine.gnnx --method saliency --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json on_builtin = json::parse(r.out);
  r = run("-q --threads 1 evaluate --model mine.gnnx --nodes 400:700:5 --method saliency --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json on_files = json::parse(r.out);
  EXPECT_EQ(on_files["targets"], 60);
  EXPECT_EQ(on_files["ground_truth"], true);
  for (const char* key :
       {"auc", "precision_at_k", "fidelity_plus", "fidelity_minus", "fidelity_plus_acc",
        "fidelity_minus_acc", "characterization", "sparsity", "flat_masks"}) {
    ASSERT_FALSE(on_files[key].is_null()) << key;
    EXPECT_EQ(on_files[key], on_builtin[key]) << key;
  }
  EXPECT_TRUE(on_files["auc_own_motif"].is_null());  // no motif instances in files

  r = run("-q --threads 1 explain --model mine.gnnx --method saliency --nodes 0:10 --out x.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(gnnx::testing::read_whole_file(dir_ / "x.json"))["explanations"].size(),
            10u);
}

// Every method of the registry explains a node model of one's own files; only CAM, which needs
// a graph classifier's readout, says it does not apply.
TEST_F(GraphFilesCliTest, EveryMethodThatAppliesEvaluatesWithGroundTruth) {
  write_small_task();
  ASSERT_EQ(train_small("--gt-edges gt.csv").exit_code, 0);
  const RunResult r =
      run("-q --threads 1 evaluate --model m.gnnx --method all --epochs 5 --rollouts 2 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json rows = json::parse(r.out);
  ASSERT_GT(rows.size(), 10u);
  for (const json& row : rows) {
    if (row["method"] == "cam") {
      EXPECT_TRUE(row.contains("error"));
      continue;
    }
    EXPECT_FALSE(row.contains("error")) << row.dump();
    EXPECT_EQ(row["targets"], 6) << row.dump();  // the ground-truth ring's nodes
    EXPECT_TRUE(row["auc"].is_number()) << row.dump();
  }
}

TEST_F(GraphFilesCliTest, MovedFileIsGivenAgainAndAChangedOneIsRefused) {
  write_small_task();
  ASSERT_EQ(train_small().exit_code, 0);
  const std::string explain =
      "-q explain --model m.gnnx --method saliency --nodes 0:4 --out e.json";
  ASSERT_EQ(run(explain).exit_code, 0);

  fs::create_directories(dir_ / "moved");
  fs::rename(dir_ / "labels.csv", dir_ / "moved" / "labels.csv");
  expect_exit_two(explain, (dir_ / "labels.csv").string() + "' (--labels), which model 'm.gnnx'");
  expect_exit_two(explain, "give its new place with --labels FILE");
  const RunResult r = run(explain + " --labels moved/labels.csv");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(run("-q evaluate --model m.gnnx --method saliency --labels moved/labels.csv "
                "--gt-edges gt.csv")
                .exit_code,
            0);

  // One feature changed: the model's record no longer matches.
  std::string x = gnnx::testing::read_whole_file(dir_ / "x.csv");
  x[0] = x[0] == '1' ? '2' : '1';
  write("x.csv", x);
  expect_exit_two(explain + " --labels moved/labels.csv",
                  "x.csv' (--features) differs from the file model 'm.gnnx' was trained on: its "
                  "CRC-32 is");
  expect_exit_two("-q evaluate --model m.gnnx --method saliency --labels moved/labels.csv",
                  "(--features) differs");
  // A flag for a file the model was not trained with, and a graph-task flag on a node model.
  expect_exit_two(explain + " --features x.csv --graph .", "excludes");
  expect_exit_two("-q evaluate --model m.gnnx --method saliency --graph .",
                  "was trained on the files of a node task");
}

TEST_F(GraphFilesCliTest, BadFilesExitTwoNamingFileAndLineAndWriteNothing) {
  write_small_task();
  write("edges.csv", "0,1\n1,2\n2,2\n");
  RunResult r = train_small();
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("edges.csv:3: self-loop 2,2"), std::string::npos) << r.err;
  write("edges.csv", "0,1\n1,12\n");
  r = train_small();
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("edges.csv:2: node 12 does not exist"), std::string::npos) << r.err;
  write("x.csv", "1,0\nx,1\n");
  r = train_small();
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("x.csv:2: column 1: 'x' is not a number"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "m.gnnx"));
  expect_exit_two("train --edges edges.csv --out m.gnnx", "--edges requires --labels");
  expect_exit_two("train --dataset ba-shapes --edges edges.csv --labels labels.csv --out m.gnnx",
                  "excludes");

  // Duplicates are merged, with a warning naming the line; the model is written.
  write_small_task();
  write("edges.csv", gnnx::testing::read_whole_file(dir_ / "edges.csv") + "1,0\n0,1\n");
  r = train_small();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("gnnx: warning: edges.csv:16: duplicate edge 0,1 (first at line 2), merged"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find(":15:"), std::string::npos) << r.err;  // 1,0 is 0-1's other direction
}

TEST_F(GraphFilesCliTest, SplitColumnAndDirectedAreRecorded) {
  write_small_task();
  std::string labels = "node,label,split\n";
  for (int i = 0; i < 12; ++i) {
    labels += std::to_string(i) + "," + (i < 6 ? "a" : "b") + "," +
              (i % 3 == 0   ? "train"
               : i % 3 == 1 ? "val"
                            : "test") +
              "\n";
  }
  write("labels.csv", labels);
  ASSERT_EQ(train_small("--directed").exit_code, 0);
  const auto file = gnnx::gnn::load_model((dir_ / "m.gnnx").string());
  EXPECT_EQ(file.card.training.split, "file");
  EXPECT_FALSE(file.card.training.train_fraction.has_value());
  EXPECT_EQ(file.card.class_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(file.card.extras.at("graph.directed"), "true");
  ASSERT_EQ(file.card.data_files.size(), 3u);
  EXPECT_EQ(file.card.data_files[0].role, "edges");
  EXPECT_EQ(file.card.data_files[0].path, (dir_ / "edges.csv").string());
  EXPECT_EQ(file.card.data_files[0].crc32.size(), 8u);
  EXPECT_EQ(run("-q explain --model m.gnnx --method occlusion --nodes all --out e.json").exit_code,
            0);
}

TEST_F(GraphFilesCliTest, WithoutGroundTruthEvaluateReportsWhatNeedsNone) {
  write_small_task();
  ASSERT_EQ(train_small().exit_code, 0);
  RunResult r = run("-q evaluate --model m.gnnx --method saliency");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("no ground truth (give --gt-edges or --gt-nodes)"), std::string::npos)
      << r.out;
  r = run("-q evaluate --model m.gnnx --method saliency --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["ground_truth"], false);
  EXPECT_TRUE(j["auc"].is_null());
  EXPECT_TRUE(j["sparsity"].is_number());
  EXPECT_EQ(j["targets"], 12);  // every node
  // Ground truth given after training counts (it does not change the model).
  r = run("-q evaluate --model m.gnnx --method saliency --gt-nodes gt.csv --json");
  EXPECT_EQ(r.exit_code, 2);  // gt.csv has two columns: not a node list
  EXPECT_NE(r.err.find("gt.csv:1: 2 field(s), expected node"), std::string::npos) << r.err;
  r = run("-q evaluate --model m.gnnx --method saliency --gt-edges gt.csv --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = json::parse(r.out);
  EXPECT_EQ(j["ground_truth"], true);
  EXPECT_TRUE(j["auc"].is_number());
  EXPECT_EQ(j["targets"], 6);
}

TEST_F(GraphFilesCliTest, TuDatasetFolderTrainsAGraphClassifier) {
  write_tu_folder("toy");
  RunResult r = run("-q --threads 1 train --graph toy --epochs 5 --hidden 8 --out g.gnnx --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["task"], "graph");
  const auto file = gnnx::gnn::load_model((dir_ / "g.gnnx").string());
  EXPECT_EQ(file.model->spec().task, gnnx::gnn::Task::kGraphClassification);
  EXPECT_EQ(file.card.class_names, (std::vector<std::string>{"-1", "1"}));
  EXPECT_EQ(file.card.featurisation.name, "tu-node-labels");
  EXPECT_EQ(file.card.data_files.size(), 4u);  // A, graph_indicator, graph_labels, edge_gt

  const std::string explain =
      "-q explain --model g.gnnx --method saliency --graphs 0:3 --out e.json";
  r = run(explain);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(gnnx::testing::read_whole_file(dir_ / "e.json"))["explanations"].size(),
            3u);
  r = run("-q evaluate --model g.gnnx --method saliency --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["targets"], 4);  // the triangle graphs: those with ground-truth edges
  EXPECT_TRUE(j["auc"].is_number());
  EXPECT_TRUE(j["contrastivity"].is_number() || j["contrastivity"].is_null());

  // The folder moves: found again with --graph; then one of its files changes.
  fs::rename(dir_ / "toy", dir_ / "toy2");
  expect_exit_two(explain, "give its new place with --graph FOLDER");
  EXPECT_EQ(run(explain + " --graph toy2").exit_code, 0);
  write("toy2/TOY_graph_labels.txt", "1\n-1\n1\n-1\n1\n-1\n-1\n-1\n");
  expect_exit_two(explain + " --graph toy2", "TOY_graph_labels.txt' (--graph) differs");
  expect_exit_two(explain + " --graph toy2 --edges edges.csv", "excludes");
}

}  // namespace
