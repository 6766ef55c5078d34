// TUDataset reader against the published statistics of MUTAG and Mutagenicity (gzipped).

#include <gnnx/datasets/tu_dataset.h>
#include <gnnx/gnn/error.h>
#include <gtest/gtest.h>
#include <torch/types.h>

#include <cstdlib>
#include <filesystem>

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

}  // namespace
}  // namespace gnnx::datasets
