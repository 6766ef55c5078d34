// The benchmark catalogue: every entry is described, its loader loads data whose task, class
// names, targets and ground truth agree with the entry, and an unknown name is refused with
// the list of the valid ones.

#include <gnnx/benchmarks/catalogue.h>
#include <gnnx/datasets/synthetic.h>
#include <gnnx/gnn/error.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

namespace gnnx::benchmarks {
namespace {

/// The shared data folder of the molecule benchmarks (ctest sets GNNX_SHARED_DATA).
std::string shared_data() {
  const char* dir = std::getenv("GNNX_SHARED_DATA");
  return dir != nullptr ? dir : "";
}

bool has_data(const Benchmark& b) {
  return b.family == Family::kSynthetic ||
         std::filesystem::exists(std::filesystem::path(shared_data()) / b.data_file);
}

/// Checks what `b` promises about its loaded data.
void expect_consistent(const Benchmark& b, const BenchmarkData& data) {
  const datasets::Dataset& ds = data.dataset;
  EXPECT_EQ(ds.name, b.name);
  EXPECT_EQ(ds.task, b.task);
  EXPECT_EQ(ds.class_names, b.class_names);
  EXPECT_EQ(ds.num_classes, static_cast<int64_t>(b.class_names.size()));
  ASSERT_FALSE(ds.graphs.empty());
  ASSERT_GT(ds.eval_targets.numel(), 0);
  const int64_t limit = b.task == gnn::Task::kNodeClassification
                            ? ds.graphs.front().num_nodes()
                            : static_cast<int64_t>(ds.graphs.size());
  EXPECT_GE(ds.eval_targets.min().item<int64_t>(), 0);
  EXPECT_LT(ds.eval_targets.max().item<int64_t>(), limit);
  if (b.ground_truth == GroundTruth::kEdges) {
    ASSERT_EQ(ds.gt_edge_mask.size(), ds.graphs.size());
    for (size_t g = 0; g < ds.graphs.size(); ++g) {
      EXPECT_EQ(ds.gt_edge_mask[g].numel(), ds.graphs[g].num_edges());
    }
  } else {
    EXPECT_NE(data.atom_truth, nullptr);
  }
  if (b.family == Family::kMolecule) {
    ASSERT_FALSE(data.train_graphs.empty());
    EXPECT_EQ(data.train_labels.size(0), static_cast<int64_t>(data.train_graphs.size()));
    EXPECT_EQ(data.train_graphs.front().num_features(), ds.graphs.front().num_features());
    EXPECT_FALSE(data.featurisation.options.empty());
  }
}

TEST(CatalogueTest, SyntheticBenchmarksComeFirstInTheGeneratorsOrder) {
  const std::vector<std::string> synthetic = datasets::synthetic_names();
  EXPECT_EQ(benchmark_names(Family::kSynthetic), synthetic);
  const std::vector<std::string> all = benchmark_names();
  ASSERT_GE(all.size(), synthetic.size());
  EXPECT_TRUE(std::equal(synthetic.begin(), synthetic.end(), all.begin()));
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), all.size()) << "duplicate names";
#ifdef GNNX_WITH_RDKIT
  const std::vector<std::string> molecules = {"mutagenicity", "benzene", "fluoride-carbonyl",
                                              "alkane-carbonyl"};
  EXPECT_EQ(benchmark_names(Family::kMolecule), molecules);
#else
  EXPECT_TRUE(benchmark_names(Family::kMolecule).empty());
#endif
}

TEST(CatalogueTest, EveryBenchmarkIsDescribed) {
  for (const Benchmark& b : catalogue()) {
    SCOPED_TRACE(b.name);
    EXPECT_GE(b.class_names.size(), 2u);
    EXPECT_FALSE(b.description.empty());
    EXPECT_FALSE(b.source.empty());
    EXPECT_FALSE(b.targets.empty());
    EXPECT_FALSE(b.scoring.empty());
    EXPECT_TRUE(static_cast<bool>(b.load));
    EXPECT_GT(b.training.epochs, 0);
    EXPECT_GT(b.training.lr, 0.0);
    EXPECT_GE(b.explained_class, -1);
    EXPECT_LT(b.explained_class, static_cast<int64_t>(b.class_names.size()));
    EXPECT_EQ(b.data_file.empty(), b.family == Family::kSynthetic);
    EXPECT_EQ(&find_benchmark(b.name), &b);
  }
}

TEST(CatalogueTest, SyntheticClassNamesAndSizesMatchTheGenerators) {
  for (const datasets::DatasetInfo& info : datasets::synthetic_catalog()) {
    SCOPED_TRACE(info.name);
    const Benchmark& b = find_benchmark(info.name, Family::kSynthetic);
    EXPECT_EQ(static_cast<int64_t>(b.class_names.size()), info.num_classes);
    EXPECT_EQ(b.task, info.task);
  }
}

TEST(CatalogueTest, SyntheticLoadersLoadConsistentData) {
  for (const Benchmark& b : catalogue()) {
    if (b.family != Family::kSynthetic) continue;
    SCOPED_TRACE(b.name);
    expect_consistent(b, b.load({/*seed=*/3}));
  }
}

TEST(CatalogueTest, MoleculeLoadersLoadConsistentData) {
  int64_t loaded = 0;
  for (const Benchmark& b : catalogue()) {
    if (b.family != Family::kMolecule || !has_data(b)) continue;
    SCOPED_TRACE(b.name);
    expect_consistent(b, b.load({/*seed=*/0, shared_data()}));
    ++loaded;
  }
  if (loaded == 0) GTEST_SKIP() << "no molecule benchmark (RDKit off, or no GNNX_SHARED_DATA)";
}

TEST(CatalogueTest, UnknownNameThrowsListingTheValidOnes) {
  try {
    find_benchmark("ba-houses");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("'ba-houses'"), std::string::npos) << message;
    for (const std::string& name : benchmark_names()) {
      EXPECT_NE(message.find(name), std::string::npos) << name << " missing from: " << message;
    }
  }
}

TEST(CatalogueTest, AFamilyListsOnlyItsOwnNames) {
  EXPECT_EQ(find_benchmark("tree-grid", Family::kSynthetic).name, "tree-grid");
  try {
    find_benchmark("mutagenicity", Family::kSynthetic);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("unknown synthetic data set 'mutagenicity'"), std::string::npos)
        << message;
    EXPECT_NE(message.find("ba-2motifs"), std::string::npos) << message;
    EXPECT_EQ(message.find("benzene"), std::string::npos) << message;
  }
}

TEST(CatalogueTest, LimitTargetsKeepsTheFirstOnes) {
  BenchmarkData data = find_benchmark("ba-shapes").load({});
  const torch::Tensor all = data.dataset.eval_targets.clone();
  data.limit_targets(3);
  EXPECT_TRUE(torch::equal(data.dataset.eval_targets, all.slice(0, 0, 3)));
  data.limit_targets(1000);  // more than there are: unchanged
  EXPECT_EQ(data.dataset.eval_targets.numel(), 3);
}

}  // namespace
}  // namespace gnnx::benchmarks
