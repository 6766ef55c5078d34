// The user's node task from files (datasets/graph_files.h): what a good set of files becomes,
// and every bad file refused with its name and line.

#include <gnnx/datasets/graph_files.h>
#include <gnnx/gnn/error.h>
#include <gtest/gtest.h>
#include <torch/types.h>

#include "support/expect_error.h"
#include "support/temp_dir.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace gnnx::datasets {
namespace {

namespace fs = std::filesystem;
using gnnx::testing::expect_error;

std::vector<int64_t> to_vector(const torch::Tensor& t) {
  const torch::Tensor c = t.to(torch::kLong).contiguous();
  return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
}

class GraphFilesTest : public ::testing::Test {
 protected:
  gnnx::testing::TempDir temp_{"gnnx_graph_files_test_"};

  /// Writes `text` to a file of the test's folder; returns its path.
  std::string write(const std::string& name, const std::string& text) {
    const fs::path path = temp_.path() / name;
    std::ofstream(path) << text;
    return path.string();
  }

  /// A path-of-4 node task (0-1-2-3) with the given edges text and labels 0, 1, 1, 0.
  NodeTaskFiles files(const std::string& edges = "source,target\n0,1\n1,2\n2,3\n") {
    NodeTaskFiles f;
    f.edges = write("edges.csv", edges);
    f.labels = write("labels.csv", "node,label\n0,0\n1,1\n2,1\n3,0\n");
    return f;
  }
};

TEST_F(GraphFilesTest, UndirectedEdgesAreStoredBothWaysSorted) {
  const NodeTask t = read_node_task(files("2,3\n0,1\n1,2\n"));  // no header, any order
  const gnn::Graph& g = t.dataset.graphs.at(0);
  EXPECT_EQ(g.num_nodes(), 4);
  EXPECT_EQ(to_vector(g.edge_index()[0]), (std::vector<int64_t>{0, 1, 1, 2, 2, 3}));
  EXPECT_EQ(to_vector(g.edge_index()[1]), (std::vector<int64_t>{1, 0, 2, 1, 3, 2}));
  EXPECT_TRUE(gnn::is_undirected(g));
  EXPECT_TRUE(torch::equal(g.x(), torch::ones({4, 1})));  // no features file
  EXPECT_FALSE(g.edge_attr().defined());
  EXPECT_EQ(to_vector(g.y()), (std::vector<int64_t>{0, 1, 1, 0}));
  EXPECT_EQ(t.dataset.task, gnn::Task::kNodeClassification);
  EXPECT_EQ(t.dataset.class_names, (std::vector<std::string>{"class0", "class1"}));
  EXPECT_EQ(t.dataset.name, "edges.csv");
  EXPECT_TRUE(t.dataset.gt_edge_mask.empty());
  EXPECT_EQ(to_vector(t.dataset.eval_targets), (std::vector<int64_t>{0, 1, 2, 3}));
  EXPECT_FALSE(t.split.has_value());
  EXPECT_TRUE(t.warnings.empty());
}

TEST_F(GraphFilesTest, BothDirectionsGivenAreOneEdgeNotADuplicate) {
  const NodeTask t = read_node_task(files("0,1\n1,0\n1,2\n2,1\n2,3\n3,2\n"));
  EXPECT_EQ(t.dataset.graphs[0].num_edges(), 6);
  EXPECT_TRUE(t.warnings.empty());
}

TEST_F(GraphFilesTest, DirectedKeepsTheGivenDirection) {
  NodeTaskFiles f = files("0,1\n2,1\n2,3\n");
  f.directed = true;
  const gnn::Graph g = read_node_task(f).dataset.graphs[0];
  EXPECT_EQ(to_vector(g.edge_index()[0]), (std::vector<int64_t>{0, 2, 2}));
  EXPECT_EQ(to_vector(g.edge_index()[1]), (std::vector<int64_t>{1, 1, 3}));
  EXPECT_FALSE(gnn::is_undirected(g));
}

TEST_F(GraphFilesTest, TsvWithWeightsGivesAOneWideEdgeFeature) {
  NodeTaskFiles f = files();
  f.edges = write("edges.tsv", "source\ttarget\tweight\n0\t1\t0.5\n2\t1\t2\n2\t3\t1e-1\n");
  const gnn::Graph g = read_node_task(f).dataset.graphs[0];
  ASSERT_TRUE(g.edge_attr().defined());
  EXPECT_EQ(g.edge_attr().sizes(), (std::vector<int64_t>{6, 1}));
  // Edges 0-1, 1-0, 1-2, 2-1, 2-3, 3-2: each direction carries its edge's weight.
  EXPECT_TRUE(torch::allclose(g.edge_attr().reshape({-1}),
                              torch::tensor({0.5f, 0.5f, 2.f, 2.f, 0.1f, 0.1f})));
}

TEST_F(GraphFilesTest, FeaturesInRowOrderWithAnOptionalHeader) {
  NodeTaskFiles f = files();
  f.features = write("x.csv", "a,b\n1,2\n3,4\n5,6\n7,-8.5\n");
  const gnn::Graph g = read_node_task(f).dataset.graphs[0];
  EXPECT_TRUE(
      torch::equal(g.x(), torch::tensor({{1.f, 2.f}, {3.f, 4.f}, {5.f, 6.f}, {7.f, -8.5f}})));
  f.features = write("x.csv", "1,2\n3,4\n5,6\n7,8\n");  // no header: four nodes still
  EXPECT_EQ(read_node_task(f).dataset.graphs[0].num_nodes(), 4);
}

TEST_F(GraphFilesTest, NamedLabelsAreClassesInSortedOrder) {
  NodeTaskFiles f = files();
  f.labels = write("labels.csv", "3,top\n0,base\n1,house\n2,house\n");  // any node order
  const NodeTask t = read_node_task(f);
  EXPECT_EQ(t.dataset.class_names, (std::vector<std::string>{"base", "house", "top"}));
  EXPECT_EQ(t.dataset.num_classes, 3);
  EXPECT_EQ(to_vector(t.dataset.graphs[0].y()), (std::vector<int64_t>{0, 1, 1, 2}));
}

TEST_F(GraphFilesTest, SplitColumnGivesTheSplit) {
  NodeTaskFiles f = files();
  f.labels = write("labels.csv", "node,label,split\n0,0,train\n1,1,train\n2,1,val\n3,0,test\n");
  const NodeTask t = read_node_task(f);
  ASSERT_TRUE(t.split.has_value());
  EXPECT_EQ(to_vector(t.split->train), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(to_vector(t.split->val), (std::vector<int64_t>{2}));
  EXPECT_EQ(to_vector(t.split->test), (std::vector<int64_t>{3}));
}

TEST_F(GraphFilesTest, GroundTruthEdgesMarkBothDirectionsAndTheirNodes) {
  NodeTaskFiles f = files();
  f.gt_edges = write("gt.csv", "source,target\n2,1\n");
  const NodeTask t = read_node_task(f);
  ASSERT_EQ(t.dataset.gt_edge_mask.size(), 1u);
  // Edges 0-1, 1-0, 1-2, 2-1, 2-3, 3-2.
  EXPECT_EQ(to_vector(t.dataset.gt_edge_mask[0]), (std::vector<int64_t>{0, 0, 1, 1, 0, 0}));
  EXPECT_EQ(to_vector(t.dataset.gt_node_mask[0]), (std::vector<int64_t>{0, 1, 1, 0}));
  EXPECT_EQ(to_vector(t.dataset.eval_targets), (std::vector<int64_t>{1, 2}));
}

TEST_F(GraphFilesTest, GroundTruthNodesAloneMarkTheEdgesBetweenThem) {
  NodeTaskFiles f = files();
  f.gt_nodes = write("gt_nodes.csv", "node\n2\n3\n0\n");
  const NodeTask t = read_node_task(f);
  EXPECT_EQ(to_vector(t.dataset.gt_edge_mask[0]), (std::vector<int64_t>{0, 0, 0, 0, 1, 1}));
  EXPECT_EQ(to_vector(t.dataset.eval_targets), (std::vector<int64_t>{0, 2, 3}));
}

TEST_F(GraphFilesTest, DuplicateEdgesAreMergedWithAWarningNamingTheLine) {
  const NodeTask t = read_node_task(files("source,target\n0,1\n1,2\n0,1\n2,3\n"));
  EXPECT_EQ(t.dataset.graphs[0].num_edges(), 6);
  ASSERT_EQ(t.warnings.size(), 1u);
  EXPECT_NE(t.warnings[0].find("edges.csv:4: duplicate edge 0,1 (first at line 2), merged"),
            std::string::npos)
      << t.warnings[0];
}

TEST_F(GraphFilesTest, ManyDuplicatesAreCountedAfterTheFirstTwenty) {
  std::string edges = "0,1\n1,2\n2,3\n";
  for (int i = 0; i < 25; ++i) edges += "1,2\n";
  const NodeTask t = read_node_task(files(edges));
  ASSERT_EQ(t.warnings.size(), 21u);
  EXPECT_EQ(t.warnings.back(), "... and 5 more duplicate edges");
}

// Every bad file: exit-2 material (InputError) naming the file and the line.
TEST_F(GraphFilesTest, EdgeToAMissingNode) {
  expect_error([&] { read_node_task(files("0,1\n1,2\n2,4\n")); },
               "edges.csv:3: node 4 does not exist: " + (temp_.path() / "labels.csv").string() +
                   " (one row per node) has 4 nodes (ids 0..3)");
  NodeTaskFiles f = files("0,1\n1,2\n2,3\n");
  f.features = write("x.csv", "1\n1\n1\n");  // the features say how many nodes there are
  expect_error([&] { read_node_task(f); }, "x.csv (one row per node) has 3 nodes");
  expect_error([&] { read_node_task(files("0,1\n-1,2\n")); },
               "edges.csv:2: node '-1' is not a non-negative integer");
}

TEST_F(GraphFilesTest, LabelCountThatDoesNotMatch) {
  NodeTaskFiles f = files();
  f.features = write("x.csv", "1\n1\n1\n1\n1\n");  // five nodes, four labels
  expect_error([&] { read_node_task(f); }, "labels.csv: 4 labels for 5 nodes");
  expect_error([&] { read_node_task(f); }, "node 4 has none");
  f.features.clear();
  f.labels = write("labels.csv", "0,0\n1,1\n1,0\n2,1\n3,0\n");
  expect_error([&] { read_node_task(f); },
               "labels.csv:3: node 1 has a second label (first at line 2)");
  f.labels = write("labels.csv", "0,0\n1,1\n2,\n3,0\n");
  expect_error([&] { read_node_task(f); }, "labels.csv:3: node 2 has an empty label");
}

// Found by fuzzing (tests/fuzz/graph_files_fuzz.cpp): the label INT64_MAX overflowed the class
// count (undefined behaviour); a huge index would have asked for a head of that many classes.
TEST_F(GraphFilesTest, FuzzClassIndexOverflow) {
  NodeTaskFiles f = files();
  f.labels = write("labels.csv", "0,0\n1,9223372036854775807\n2,1\n3,0\n");
  expect_error([&] { read_node_task(f); },
               "labels.csv:2: class index 9223372036854775807 is not below 100000");
  f.labels = write("labels.csv", "0,0\n1,99999\n2,1\n3,0\n");
  EXPECT_EQ(read_node_task(f).dataset.num_classes, 100000);
}

TEST_F(GraphFilesTest, NonNumericAndNonFiniteFeatures) {
  NodeTaskFiles f = files();
  f.features = write("x.csv", "a,b\n1,2\n3,x\n5,6\n7,8\n");
  expect_error([&] { read_node_task(f); }, "x.csv:3: column 2 ('b'): 'x' is not a number");
  for (const char* bad : {"nan", "inf", "-inf"}) {
    f.features = write("x.csv", std::string("1,2\n3,4\n5,") + bad + "\n7,8\n");
    expect_error([&] { read_node_task(f); },
                 "x.csv:3: column 2: '" + std::string(bad) + "' is not a finite number");
  }
  f.features = write("x.csv", "1,2\n3,4\n5\n7,8\n");
  expect_error([&] { read_node_task(f); }, "x.csv:3: 1 features, but line 1 has 2");
}

TEST_F(GraphFilesTest, SelfLoopsAreRefused) {
  expect_error([&] { read_node_task(files("0,1\n2,2\n")); }, "edges.csv:2: self-loop 2,2");
}

TEST_F(GraphFilesTest, EmptyFiles) {
  expect_error([&] { read_node_task(files("")); }, "edges.csv: empty file (no data rows)");
  expect_error([&] { read_node_task(files("source,target\n")); }, "edges.csv: empty file");
  NodeTaskFiles f = files();
  f.gt_edges = write("gt.csv", "\n");
  expect_error([&] { read_node_task(f); }, "gt.csv: empty file");
}

TEST_F(GraphFilesTest, BadSplits) {
  NodeTaskFiles f = files();
  f.labels = write("labels.csv", "0,0,train\n1,1,train\n2,1,valid\n3,0,test\n");
  expect_error([&] { read_node_task(f); }, "labels.csv:3: split 'valid' is not train, val or test");
  f.labels = write("labels.csv", "0,0,train\n1,1,train\n2,1\n3,0,test\n");
  expect_error([&] { read_node_task(f); }, "labels.csv:3: no split, but line 1 has one");
}

TEST_F(GraphFilesTest, BadEdgeRows) {
  expect_error([&] { read_node_task(files("0,1\n1,2,0.5\n")); },
               "edges.csv:2: a weight, but line 1 has none");
  expect_error([&] { read_node_task(files("0,1,1\n1,2,2\n1,2,3\n")); },
               "edges.csv:3: edge 1,2 has weight 3 here and 2 at line 2");
  expect_error([&] { read_node_task(files("0,1,1\n1,2,x\n")); },
               "edges.csv:2: weight: 'x' is not a number");
  expect_error([&] { read_node_task(files("0\n")); },
               "edges.csv:1: 1 field(s), expected source,target[,weight]");
}

TEST_F(GraphFilesTest, GroundTruthEdgeNotInTheGraph) {
  NodeTaskFiles f = files();
  f.gt_edges = write("gt.csv", "0,1\n0,3\n");
  expect_error([&] { read_node_task(f); }, "gt.csv:2: edge 0,3 is not in the graph");
  f.gt_edges.clear();
  f.gt_nodes = write("gt_nodes.csv", "1\n9\n");
  expect_error([&] { read_node_task(f); }, "gt_nodes.csv:2: node 9 does not exist");
}

TEST_F(GraphFilesTest, MissingFile) {
  NodeTaskFiles f = files();
  f.features = (temp_.path() / "nowhere.csv").string();
  expect_error([&] { read_node_task(f); }, "cannot open '" + f.features + "'");
}

}  // namespace
}  // namespace gnnx::datasets
