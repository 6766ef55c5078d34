// TUDataset reader against the published statistics of MUTAG and Mutagenicity (gzipped).

#include <gnnx/datasets/tu_dataset.h>
#include <gnnx/gnn/error.h>
#include <gtest/gtest.h>
#include <torch/types.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/temp_dir.h"

namespace gnnx::datasets {
namespace {

namespace fs = std::filesystem;

fs::path shared_data(const std::string& sub) {
  const char* data = std::getenv("GNNX_SHARED_DATA");
  return data ? fs::path(data) / sub : fs::path();
}

TEST(TuDatasetTest, MutagCounts) {
  const fs::path dir = shared_data("MUTAG/tudataset");
  if (!fs::exists(dir)) GTEST_SKIP() << "MUTAG not found under GNNX_SHARED_DATA";
  const TuDataset d = read_tu_dataset(dir.string());
  EXPECT_EQ(d.name, "MUTAG");
  EXPECT_EQ(d.graphs.size(), 188u);
  EXPECT_EQ(d.num_nodes(), 3371);
  int64_t edges = 0, positives = 0;
  for (const auto& g : d.graphs) {
    edges += g.num_edges();
    positives += g.y().item<int64_t>();
    EXPECT_EQ(g.num_features(), 7);
    EXPECT_EQ(g.edge_attr().size(1), 4);
  }
  EXPECT_EQ(edges, 7442);  // 3721 bonds, both directions
  EXPECT_EQ(d.label_values, (std::vector<int64_t>{-1, 1}));
  EXPECT_EQ(positives, 125);  // label 1 = mutagenic
  EXPECT_EQ(d.num_node_labels, 7);
  EXPECT_TRUE(d.edge_gt.empty());
  // The prefix form names the same data set.
  EXPECT_EQ(read_tu_dataset((dir / "MUTAG").string()).graphs.size(), 188u);
}

TEST(TuDatasetTest, MutagenicityGzippedWithEdgeGroundTruth) {
  const fs::path dir = shared_data("Mutagenicity/tudataset");
  if (!fs::exists(dir)) GTEST_SKIP() << "Mutagenicity not found under GNNX_SHARED_DATA";
  const TuDataset d = read_tu_dataset(dir.string());
  EXPECT_EQ(d.graphs.size(), 4337u);
  EXPECT_EQ(d.num_nodes(), 131488);
  EXPECT_EQ(d.num_node_labels, 14);
  ASSERT_EQ(d.edge_gt.size(), 4337u);
  int64_t gt = 0;
  for (const auto& m : d.edge_gt) gt += m.sum().item<int64_t>();
  EXPECT_EQ(gt, 7352);  // SOURCE.md: 7352 directed gt entries
}

TEST(TuDatasetTest, NotADataset) {
  EXPECT_FALSE(is_tu_dataset("/nonexistent/dir"));
  EXPECT_THROW(read_tu_dataset("/nonexistent/dir"), InputError);
}

// Found by fuzzing (tests/fuzz/tu_dataset_fuzz.cpp): a node label of INT64_MAX overflowed the
// one-hot width (label + 1, undefined behaviour); ids near INT64_MIN would overflow id - 1.
TEST(TuDatasetTest, FuzzLabelAndIdOverflow) {
  gnnx::testing::TempDir dir("gnnx_tu_overflow_");
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir.path() / ("T_" + name + ".txt")) << text;
  };
  write("A", "1, 2\n2, 1\n");
  write("graph_indicator", "1\n1\n");
  write("graph_labels", "0\n");
  write("node_labels", "0\n9223372036854775807\n");
  const std::string prefix = (dir.path() / "T").string();
  auto message = [&] {
    try {
      read_tu_dataset(prefix);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message().find("T_node_labels.txt:2: 9223372036854775807 is out of range"),
            std::string::npos)
      << message();
  write("node_labels", "0\n100000\n");
  EXPECT_NE(message().find("node label 100000 is not below 100000"), std::string::npos)
      << message();
  write("node_labels", "0\n1\n");
  write("A", "1, 2\n-9223372036854775808, 1\n");
  EXPECT_NE(message().find("T_A.txt:2: -9223372036854775808 is out of range"), std::string::npos)
      << message();
  write("A", "1, 2\n2, 1\n");
  EXPECT_EQ(read_tu_dataset(prefix).num_node_labels, 2);
}

}  // namespace
}  // namespace gnnx::datasets
