// Bad input to the commands that read model files and train them (issue 20): broken model
// files, models of another data set or task, numbers no model can be built from, inconsistent
// TUDataset folders, and the small commands (generate, import, methods, datasets). Each row
// must exit with code 2, name the problem and leave every file as it was (support/bad_input.h).

#include <gtest/gtest.h>

#include "support/bad_input.h"

#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using gnnx::testing::BadInput;
using gnnx::testing::CliResult;

class BadInputModelsTest : public gnnx::testing::BadInputTest {
 protected:
  static void SetUpTestSuite() {
    make_folder("gnnx_bad_models_");
    for (const char* args : {"train --dataset ba-shapes --epochs 2 --out node.gnnx",
                             "train --dataset ba-2motifs --epochs 2 --out graph.gnnx"}) {
      const CliResult r = gnnx(args);
      ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.err;
    }
    const std::string model = gnnx::testing::read_whole_file(dir_ / "node.gnnx");
    write("empty.gnnx", "");
    write("truncated.gnnx", model.substr(0, model.size() / 3));
    std::mt19937 rng(20);
    std::string noise(4096, '\0');
    for (char& c : noise) c = static_cast<char>(rng());
    write("random.gnnx", noise);
    write_tu_folders();
    write("bad.json", "{");
  }

  // A small consistent TUDataset (two triangles, one edge each way) and broken copies of it.
  static void write_tu_folders() {
    const std::string a = "1, 2\n2, 1\n2, 3\n3, 2\n1, 3\n3, 1\n";
    const std::string b = "4, 5\n5, 4\n5, 6\n6, 5\n4, 6\n6, 4\n";
    auto folder = [&](const std::string& name, const std::string& edges,
                      const std::string& indicator, const std::string& labels) {
      fs::create_directories(dir_ / name);
      write(name + "/T_A.txt", edges);
      write(name + "/T_graph_indicator.txt", indicator);
      write(name + "/T_graph_labels.txt", labels);
      write(name + "/T_node_labels.txt", "0\n1\n0\n1\n0\n1\n");
    };
    const std::string indicator = "1\n1\n1\n2\n2\n2\n";
    folder("tu", a + b, indicator, "0\n1\n");
    folder("tu_short_indicator", a + b, "1\n1\n1\n2\n2\n", "0\n1\n");
    folder("tu_missing_node", a + b + "6, 7\n", indicator, "0\n1\n");
    folder("tu_across_graphs", a + b + "1, 6\n", indicator, "0\n1\n");
    folder("tu_text", a + b, "1\n1\nx\n2\n2\n2\n", "0\n1\n");
    folder("tu_few_labels", a + b, indicator, "0\n");
  }
};

TEST_F(BadInputModelsTest, BrokenModelFilesAreRefusedByEveryCommand) {
  const std::string explain = "explain --method saliency --nodes 400 --out x.json --model ";
  expect_all_refused({
      {"zero-byte model", explain + "empty.gnnx", {"empty.gnnx", "empty file"}, {"x.json"}},
      {"truncated model", explain + "truncated.gnnx", {"truncated"}, {"x.json"}},
      {"random bytes", explain + "random.gnnx", {"not a gnnx model file"}, {"x.json"}},
      {"a folder for a model", explain + "tu", {"is a directory"}, {"x.json"}},
      {"a model of another data set",
       explain + "node.gnnx --dataset tree-cycles",
       {"expects 10 features and 4 classes", "tree-cycles"},
       {"x.json"}},
      {"evaluate: truncated model",
       "evaluate --dataset ba-shapes --method saliency --model truncated.gnnx",
       {"truncated"}},
      {"evaluate: a graph model on a node task",
       "evaluate --dataset ba-shapes --method saliency --model graph.gnnx",
       {"graph-classification model", "node-classification"}},
      {"generate: zero-byte model",
       "generate --model empty.gnnx --class 0 --out g.svg",
       {"empty file"},
       {"g.svg"}},
      {"generate: a node classifier",
       "generate --model node.gnnx --class 0 --out g.svg",
       {"needs a graph classifier"},
       {"g.svg"}},
      {"generate: a class the model lacks",
       "generate --model graph.gnnx --class 5 --out g.svg",
       {"class 5 is out of range"},
       {"g.svg"}},
      {"generate: --out is the model",
       "generate --model graph.gnnx --class 0 --out graph.gnnx",
       {"same file as --model"}},
  });
}

TEST_F(BadInputModelsTest, TrainingNumbersOutsideWhatAModelCanBe) {
  const std::string train = "train --dataset ba-shapes --epochs 2 --out t.gnnx ";
  expect_all_refused({
      // Regression: LibTorch's float overflow came out as exit 1.
      {"learning rate beyond a float", train + "--lr 1e300", {"--lr", "too large"}, {"t.gnnx"}},
      {"weight decay beyond a float",
       train + "--weight-decay 1e300",
       {"--weight-decay", "too large"},
       {"t.gnnx"}},
      {"bias beyond a float", train + "--bias-init -1e300", {"--bias-init"}, {"t.gnnx"}},
      {"infinite bias", train + "--bias-init inf", {"--bias-init", "finite"}, {"t.gnnx"}},
      // Regression: reached the allocator (100000000) or ran for hours (30000, 100000 layers).
      {"absurd --hidden", train + "--hidden 100000000", {"hidden", "weights"}, {"t.gnnx"}},
      {"huge --hidden", train + "--hidden 30000", {"hidden 30000", "weights"}, {"t.gnnx"}},
      {"absurd --layers", train + "--layers 100000", {"num_layers", "1000"}, {"t.gnnx"}},
      {"zero epochs", train + "--epochs 0", {"--epochs", "positive"}, {"t.gnnx"}},
      {"dropout of one", train + "--dropout 1", {"dropout", "[0, 1)"}, {"t.gnnx"}},
      {"heads that do not divide --hidden",
       train + "--arch gat --heads 7",
       {"multiple of heads"},
       {"t.gnnx"}},
      {"a GCN flag for GIN",
       train + "--arch gin --aggregation sum",
       {"--aggregation", "gcn only"},
       {"t.gnnx"}},
      {"unknown data set", "train --dataset nope --out t.gnnx", {"nope"}, {"t.gnnx"}},
  });
}

TEST_F(BadInputModelsTest, InconsistentTuDatasetFolders) {
  expect_all_refused({
      {"graph_indicator shorter than the node labels",
       "train --graph tu_short_indicator --epochs 2 --out t.gnnx",
       {"T_node_labels.txt", "6 lines but 5 nodes"},
       {"t.gnnx"}},
      {"an edge to a node that does not exist",
       "train --graph tu_missing_node --epochs 2 --out t.gnnx",
       {"T_A.txt:13", "node id out of range 1..6"},
       {"t.gnnx"}},
      {"an edge between two graphs",
       "train --graph tu_across_graphs --epochs 2 --out t.gnnx",
       {"edge joins graphs 1 and 2"},
       {"t.gnnx"}},
      {"text where a number belongs",
       "train --graph tu_text --epochs 2 --out t.gnnx",
       {"T_graph_indicator.txt:3", "expected integers"},
       {"t.gnnx"}},
      {"fewer graph labels than graphs",
       "train --graph tu_few_labels --epochs 2 --out t.gnnx",
       {"graph id 2 is out of range 1..1"},
       {"t.gnnx"}},
      // Regression: the model replaced the folder's edge list.
      {"--out is a file of the --graph folder",
       "train --graph tu --epochs 2 --out tu/T_A.txt",
       {"--out tu/T_A.txt is a file of the input folder --graph tu"}},
  });
}

TEST_F(BadInputModelsTest, ExplainAndEvaluateFlags) {
  const std::string explain = "explain --model graph.gnnx --method saliency --out x.json ";
  expect_all_refused({
      {"graphs beyond the data set",
       explain + "--graphs 0:5000",
       {"--graphs: 1000 is out of range [0, 1000)"},
       {"x.json"}},
      {"nodes of a graph task", explain + "--nodes 1", {"--nodes", "--graphs"}, {"x.json"}},
      {"hexadecimal --top-k", explain + "--graphs 0 --top-k 0x5", {"--top-k", "0x5"}, {"x.json"}},
      {"wrapping --dataset-seed",
       explain + "--graphs 0 --dataset-seed 99999999999999999999",
       {"--dataset-seed"},
       {"x.json"}},
      // Regression: -1, the "first target" default, was taken from the user too.
      {"negative --render-target",
       explain + "--graphs 0 --render x.svg --render-target -1",
       {"--render-target"},
       {"x.json", "x.svg"}},
      {"evaluate: negative seed",
       "evaluate --dataset ba-shapes --method saliency --seed -1",
       {"--seed", "-1"}},
      {"evaluate: infinite --top-k",
       "evaluate --dataset ba-shapes --method saliency --top-k inf",
       {"--top-k", "inf"}},
      {"evaluate: --limit in exponent form",
       "evaluate --dataset ba-shapes --method saliency --limit 1e2",
       {"--limit", "1e2"}},
      {"evaluate: a flag the method does not read",
       "evaluate --dataset ba-shapes --method saliency --dropout 0.3",
       {"--dropout is not an option of saliency"}},
      {"evaluate: nodes beyond the graph",
       "evaluate --dataset ba-shapes --model node.gnnx --method saliency --nodes 0:99999",
       {"--nodes: 700 is out of range [0, 700)"}},
      {"evaluate: unknown data set",
       "evaluate --dataset nope --method saliency",
       {"unknown data set 'nope'"}},
  });
}

TEST_F(BadInputModelsTest, GenerateImportMethodsDatasets) {
  const std::string generate = "generate --model graph.gnnx --class 0 --out g.svg ";
  expect_all_refused({
      {"generate: --max-nodes in exponent form",
       generate + "--max-nodes 1e9",
       {"--max-nodes"},
       {"g.svg"}},
      {"generate: negative --iterations",
       generate + "--iterations -1",
       {"--iterations"},
       {"g.svg"}},
      {"generate: hexadecimal class",
       "generate --model graph.gnnx --class -0x1 --out g.svg",
       {"--class", "-0x1"},
       {"g.svg"}},
      {"generate: seed beyond uint64",
       generate + "--seed 18446744073709551616",
       {"--seed"},
       {"g.svg"}},
      // Regression: a flag for the other kind of model was silently ignored.
      {"generate: --node-types for a plain-graph model",
       generate + "--node-types C,N,O",
       {"--node-types applies to molecule models"},
       {"g.svg"}},
      {"import: no such spec",
       "import --state-dict random.gnnx --spec nope.json --out i.gnnx",
       {"nope.json", "cannot open"},
       {"i.gnnx"}},
      {"import: spec not JSON",
       "import --state-dict random.gnnx --spec bad.json --out i.gnnx",
       {"bad.json", "not valid JSON"},
       {"i.gnnx"}},
      {"import: --out is the state dict",
       "import --state-dict empty.gnnx --spec bad.json --out empty.gnnx",
       {"same file as --state-dict"}},
      {"methods: a stray argument", "methods --json extra", {"extra"}},
      {"methods: unknown flag", "methods --jsn", {"--jsn"}},
      {"datasets: unknown flag", "datasets --csv", {"--csv"}},
  });
}

}  // namespace
