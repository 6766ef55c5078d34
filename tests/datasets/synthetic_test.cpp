// The synthetic benchmarks against the statistics of the papers that introduced them
// (GNNExplainer, PGExplainer) and against the invariants every data set promises: undirected
// simple graphs, ground truth = the motifs, determinism in the seed.

#include <gnnx/datasets/synthetic.h>
#include <gnnx/gnn/boost_graph.h>
#include <gnnx/gnn/error.h>
#include <gtest/gtest.h>

#include <boost/graph/connected_components.hpp>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace gnnx::datasets {
namespace {

using EdgeSet = std::set<std::pair<int64_t, int64_t>>;

// Each data set is built once per seed 0 and shared by the tests that only read it.
const Dataset& cached(const std::string& name) {
  static std::map<std::string, Dataset> cache;
  auto it = cache.find(name);
  if (it == cache.end()) it = cache.emplace(name, make_synthetic(name, /*seed=*/0)).first;
  return it->second;
}

std::vector<std::pair<int64_t, int64_t>> edges_of(const gnn::Graph& graph) {
  const auto ei = graph.edge_index().contiguous();
  std::vector<std::pair<int64_t, int64_t>> edges;
  for (int64_t e = 0; e < graph.num_edges(); ++e) {
    edges.emplace_back(ei[0][e].item<int64_t>(), ei[1][e].item<int64_t>());
  }
  return edges;
}

::testing::AssertionResult is_simple_undirected(const gnn::Graph& graph) {
  const auto edges = edges_of(graph);
  const EdgeSet unique(edges.begin(), edges.end());
  if (unique.size() != edges.size()) return ::testing::AssertionFailure() << "duplicate edges";
  for (const auto& [u, v] : edges) {
    if (u == v) return ::testing::AssertionFailure() << "self-loop at " << u;
    if (unique.count({v, u}) == 0) {
      return ::testing::AssertionFailure() << "edge " << u << "->" << v << " has no reverse";
    }
  }
  return ::testing::AssertionSuccess();
}

int64_t num_components(const gnn::Graph& graph) {
  const gnn::BoostGraph g = gnn::to_boost_undirected(graph);
  std::vector<int> component(graph.num_nodes());
  return boost::connected_components(g, component.data());
}

std::vector<int64_t> label_counts(const torch::Tensor& labels, int64_t num_classes) {
  const auto counts = torch::bincount(labels, /*weights=*/{}, num_classes);
  return std::vector<int64_t>(counts.data_ptr<int64_t>(),
                              counts.data_ptr<int64_t>() + counts.numel());
}

int64_t count_true(const torch::Tensor& mask) { return mask.sum().item<int64_t>(); }

TEST(SyntheticDatasetsTest, NamesAndCatalogAgree) {
  const std::vector<std::string> expected = {"ba-shapes", "ba-community", "tree-cycles",
                                             "tree-grid", "ba-2motifs"};
  EXPECT_EQ(synthetic_names(), expected);
  const auto catalog = synthetic_catalog();
  ASSERT_EQ(catalog.size(), expected.size());
  for (size_t i = 0; i < catalog.size(); ++i) {
    const DatasetInfo& info = catalog[i];
    SCOPED_TRACE(info.name);
    EXPECT_EQ(info.name, expected[i]);
    EXPECT_FALSE(info.description.empty());
    EXPECT_FALSE(info.source.empty());
    const Dataset& d = cached(info.name);
    EXPECT_EQ(d.name, info.name);
    EXPECT_EQ(d.task, info.task);
    EXPECT_EQ(static_cast<int64_t>(d.graphs.size()), info.num_graphs);
    EXPECT_EQ(d.graphs[0].num_nodes(), info.num_nodes);
    EXPECT_EQ(d.graphs[0].num_features(), info.num_features);
    EXPECT_EQ(d.num_classes, info.num_classes);
    EXPECT_EQ(static_cast<int64_t>(d.class_names.size()), info.num_classes);
    EXPECT_EQ(d.gt_node_mask.size(), d.graphs.size());
    EXPECT_EQ(d.gt_edge_mask.size(), d.graphs.size());
  }
}

TEST(SyntheticDatasetsTest, UnknownNameThrowsListingKnownNames) {
  try {
    make_synthetic("ba-houses");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("ba-houses"), std::string::npos) << message;
    for (const auto& name : synthetic_names()) {
      EXPECT_NE(message.find(name), std::string::npos) << message;
    }
  }
}

TEST(SyntheticDatasetsTest, EveryGraphIsSimpleUndirectedAndConnected) {
  for (const auto& name : synthetic_names()) {
    SCOPED_TRACE(name);
    const Dataset& d = cached(name);
    for (size_t g = 0; g < d.graphs.size(); ++g) {
      SCOPED_TRACE("graph " + std::to_string(g));
      ASSERT_TRUE(is_simple_undirected(d.graphs[g]));
      ASSERT_EQ(num_components(d.graphs[g]), 1);
      ASSERT_EQ(d.gt_node_mask[g].sizes(), (std::vector<int64_t>{d.graphs[g].num_nodes()}));
      ASSERT_EQ(d.gt_edge_mask[g].sizes(), (std::vector<int64_t>{d.graphs[g].num_edges()}));
      ASSERT_EQ(d.gt_node_mask[g].scalar_type(), torch::kBool);
      ASSERT_EQ(d.gt_edge_mask[g].scalar_type(), torch::kBool);
    }
  }
}

TEST(SyntheticDatasetsTest, BaShapesMatchesPaper) {
  const Dataset& d = cached("ba-shapes");
  ASSERT_EQ(d.graphs.size(), 1u);
  const gnn::Graph& g = d.graphs[0];
  EXPECT_EQ(g.num_nodes(), 700);
  // BA 295 * 5 + 80 houses * (6 + 1) = 2035, plus floor(1%) = 20 random edges; both directions.
  EXPECT_EQ(g.num_edges(), 4110);
  EXPECT_EQ(d.num_classes, 4);
  EXPECT_EQ(label_counts(g.y(), 4), (std::vector<int64_t>{300, 160, 160, 80}));
  EXPECT_TRUE(torch::equal(g.x(), torch::ones({700, 10})));
  EXPECT_EQ(count_true(d.gt_node_mask[0]), 400);
  EXPECT_TRUE(torch::equal(d.gt_node_mask[0], g.y() != 0));
  EXPECT_EQ(count_true(d.gt_edge_mask[0]), 80 * 6 * 2);
  // Targets: node 0 of houses 20..79, 400, 405, ..., 695, each a "middle" node.
  EXPECT_TRUE(torch::equal(d.eval_targets, torch::arange(400, 700, 5, torch::kLong)));
  EXPECT_TRUE((g.y().index_select(0, d.eval_targets) == 1).all().item<bool>());
}

TEST(SyntheticDatasetsTest, FirstHouseGroundTruthIsItsSixEdges) {
  const Dataset& d = cached("ba-shapes");
  const gnn::Graph& g = d.graphs[0];
  // House 0 is nodes 300-304 hanging off base node 0: square 300-301-302-303, roof 304.
  const EdgeSet house = {{300, 301}, {301, 302}, {302, 303}, {300, 303}, {300, 304}, {301, 304}};
  EXPECT_TRUE(torch::equal(g.y().slice(0, 300, 305), torch::tensor({1, 1, 2, 2, 3}, torch::kLong)));
  const auto edges = edges_of(g);
  const auto mask = d.gt_edge_mask[0];
  EdgeSet in_truth;
  bool joined_to_base = false;
  for (size_t e = 0; e < edges.size(); ++e) {
    auto [u, v] = edges[e];
    if (u > v) std::swap(u, v);
    if (v < 300 || v > 304) continue;
    if (u == 0 && v == 300) joined_to_base = true;
    if (mask[static_cast<int64_t>(e)].item<bool>()) in_truth.insert({u, v});
  }
  EXPECT_EQ(in_truth, house);
  EXPECT_TRUE(joined_to_base);
  // The joining edge is not ground truth.
  for (size_t e = 0; e < edges.size(); ++e) {
    if (edges[e] == std::make_pair<int64_t, int64_t>(0, 300)) {
      EXPECT_FALSE(mask[static_cast<int64_t>(e)].item<bool>());
    }
  }
}

TEST(SyntheticDatasetsTest, GroundTruthEdgesAreExactlyTheEdgesInsideOneMotif) {
  // Motif k's nodes are the k-th block of motif_size ids after the base: an edge is ground
  // truth exactly when both end points fall in the same block.
  struct Case {
    std::string name;
    int64_t base_nodes, motif_size;
  };
  for (const Case& c :
       {Case{"ba-shapes", 300, 5}, Case{"tree-cycles", 511, 6}, Case{"tree-grid", 511, 9}}) {
    SCOPED_TRACE(c.name);
    const Dataset& d = cached(c.name);
    const auto edges = edges_of(d.graphs[0]);
    for (size_t e = 0; e < edges.size(); ++e) {
      const auto [u, v] = edges[e];
      const bool same_motif =
          u >= c.base_nodes && v >= c.base_nodes &&
          (u - c.base_nodes) / c.motif_size == (v - c.base_nodes) / c.motif_size;
      ASSERT_EQ(d.gt_edge_mask[0][static_cast<int64_t>(e)].item<bool>(), same_motif)
          << u << "-" << v;
    }
  }
}

TEST(SyntheticDatasetsTest, MotifIdsNameEachInstanceAndAgreeWithTheGroundTruth) {
  // motif_id numbers the instances 0, 1, ... in the order of their id blocks (as above), -1 on
  // the base; an edge is ground truth exactly when its end points share an id.
  struct Case {
    std::string name;
    int64_t base_nodes, motif_size, motifs;
  };
  for (const Case& c : {Case{"ba-shapes", 300, 5, 80}, Case{"tree-cycles", 511, 6, 60},
                        Case{"tree-grid", 511, 9, 80}}) {
    SCOPED_TRACE(c.name);
    const Dataset& d = cached(c.name);
    ASSERT_EQ(d.motif_id.size(), 1u);
    const auto& ids = d.motif_id[0];
    ASSERT_EQ(ids.numel(), d.graphs[0].num_nodes());
    for (int64_t v = 0; v < ids.numel(); ++v) {
      const int64_t expected = v < c.base_nodes ? -1 : (v - c.base_nodes) / c.motif_size;
      ASSERT_EQ(ids[v].item<int64_t>(), expected) << v;
    }
    EXPECT_EQ(ids.max().item<int64_t>(), c.motifs - 1);
  }
  for (const std::string name : {"ba-community", "ba-2motifs"}) {
    SCOPED_TRACE(name);
    const Dataset& d = cached(name);
    ASSERT_EQ(d.motif_id.size(), d.graphs.size());
    for (size_t g = 0; g < d.graphs.size(); ++g) {
      const auto& ids = d.motif_id[g];
      EXPECT_TRUE(torch::equal(ids.ge(0), d.gt_node_mask[g]));
      const auto& ei = d.graphs[g].edge_index();
      const auto a = ids.index_select(0, ei[0]), b = ids.index_select(0, ei[1]);
      EXPECT_TRUE(torch::equal(a.eq(b) & a.ge(0), d.gt_edge_mask[g])) << "graph " << g;
    }
  }
}

TEST(SyntheticDatasetsTest, BaCommunityMatchesPaper) {
  const Dataset& d = cached("ba-community");
  const gnn::Graph& g = d.graphs[0];
  EXPECT_EQ(g.num_nodes(), 1400);
  EXPECT_EQ(g.num_edges(), 8920);  // 2 * 2055 + 350 joining edges, both directions
  EXPECT_EQ(d.num_classes, 8);
  EXPECT_EQ(label_counts(g.y(), 8), (std::vector<int64_t>{300, 160, 160, 80, 300, 160, 160, 80}));
  EXPECT_EQ(count_true(d.gt_node_mask[0]), 800);
  EXPECT_TRUE(torch::equal(d.gt_node_mask[0], g.y().remainder(4) != 0));
  EXPECT_EQ(count_true(d.gt_edge_mask[0]), 160 * 6 * 2);
  const auto targets = torch::cat(
      {torch::arange(400, 700, 5, torch::kLong), torch::arange(1100, 1400, 5, torch::kLong)});
  EXPECT_TRUE(torch::equal(d.eval_targets, targets));
  // Exactly 350 edges cross between the communities.
  int64_t crossing = 0;
  for (const auto& [u, v] : edges_of(g)) crossing += (u < 700) != (v < 700);
  EXPECT_EQ(crossing, 2 * 350);
  // Gaussian features: first two dimensions centred at -1 / +1 with variance 0.5, the rest N(0, 1).
  const auto first = g.x().slice(0, 0, 700);
  const auto second = g.x().slice(0, 700, 1400);
  EXPECT_NEAR(first.slice(1, 0, 2).mean().item<double>(), -1.0, 0.1);
  EXPECT_NEAR(second.slice(1, 0, 2).mean().item<double>(), 1.0, 0.1);
  EXPECT_NEAR(first.slice(1, 0, 2).var().item<double>(), 0.5, 0.1);
  EXPECT_NEAR(second.slice(1, 2, 10).mean().item<double>(), 0.0, 0.1);
  EXPECT_NEAR(second.slice(1, 2, 10).var().item<double>(), 1.0, 0.1);
}

TEST(SyntheticDatasetsTest, TreeCyclesMatchesPaper) {
  const Dataset& d = cached("tree-cycles");
  const gnn::Graph& g = d.graphs[0];
  EXPECT_EQ(g.num_nodes(), 871);
  // Tree 510 + cycles 60 * (6 + 1) = 930 edges, k <= 60 second links, floor(1%) = 9 random.
  EXPECT_GE(g.num_edges(), 2 * 939);
  EXPECT_LE(g.num_edges(), 2 * 999);
  EXPECT_EQ(label_counts(g.y(), 2), (std::vector<int64_t>{511, 360}));
  EXPECT_EQ(count_true(d.gt_edge_mask[0]), 60 * 6 * 2);
  EXPECT_TRUE(torch::equal(d.gt_node_mask[0], g.y() == 1));
  EXPECT_TRUE(torch::equal(d.eval_targets, torch::arange(511, 871, torch::kLong)));
  EXPECT_TRUE(torch::equal(g.x(), torch::ones({871, 10})));
}

TEST(SyntheticDatasetsTest, TreeGridMatchesPaper) {
  const Dataset& d = cached("tree-grid");
  const gnn::Graph& g = d.graphs[0];
  EXPECT_EQ(g.num_nodes(), 1231);
  // Tree 510 + grids 80 * (12 + 1) = 1550 edges, floor(10%) = 155 random; both directions.
  EXPECT_EQ(g.num_edges(), 2 * 1705);
  EXPECT_EQ(label_counts(g.y(), 2), (std::vector<int64_t>{511, 720}));
  EXPECT_EQ(count_true(d.gt_edge_mask[0]), 80 * 12 * 2);
  EXPECT_TRUE(torch::equal(d.gt_node_mask[0], g.y() == 1));
  EXPECT_TRUE(torch::equal(d.eval_targets, torch::arange(511, 1231, torch::kLong)));
}

TEST(SyntheticDatasetsTest, Ba2MotifsMatchesPaper) {
  const Dataset& d = cached("ba-2motifs");
  EXPECT_EQ(d.task, gnn::Task::kGraphClassification);
  ASSERT_EQ(d.graphs.size(), 1000u);
  EXPECT_EQ(d.num_classes, 2);
  int64_t directed_edges = 0;
  std::vector<int64_t> per_class(2, 0);
  for (size_t i = 0; i < d.graphs.size(); ++i) {
    const gnn::Graph& g = d.graphs[i];
    ASSERT_EQ(g.num_nodes(), 25);
    ASSERT_EQ(g.y().sizes(), (std::vector<int64_t>{1}));
    const int64_t label = g.y()[0].item<int64_t>();
    ASSERT_EQ(label, i < 500 ? 0 : 1);
    ++per_class[label];
    // BA tree 19 edges + joining edge + house 6 / cycle 5.
    ASSERT_EQ(g.num_edges(), 2 * (label == 0 ? 26 : 25));
    ASSERT_EQ(count_true(d.gt_edge_mask[i]), label == 0 ? 12 : 10);
    ASSERT_TRUE(torch::equal(d.gt_node_mask[i], torch::arange(25, torch::kLong) >= 20));
    ASSERT_TRUE(torch::allclose(g.x(), torch::full({25, 10}, 0.1F)));
    directed_edges += g.num_edges();
  }
  EXPECT_EQ(per_class, (std::vector<int64_t>{500, 500}));
  EXPECT_DOUBLE_EQ(static_cast<double>(directed_edges) / 1000.0, 51.0);  // PGExplainer's table
  EXPECT_TRUE(torch::equal(d.eval_targets, torch::arange(1000, torch::kLong)));
}

TEST(SyntheticDatasetsTest, SameSeedGivesIdenticalTensors) {
  for (const auto& name : synthetic_names()) {
    SCOPED_TRACE(name);
    const Dataset& a = cached(name);
    const Dataset b = make_synthetic(name, /*seed=*/0);
    ASSERT_EQ(a.graphs.size(), b.graphs.size());
    for (size_t g = 0; g < a.graphs.size(); ++g) {
      ASSERT_TRUE(torch::equal(a.graphs[g].edge_index(), b.graphs[g].edge_index()));
      ASSERT_TRUE(torch::equal(a.graphs[g].x(), b.graphs[g].x()));
      ASSERT_TRUE(torch::equal(a.graphs[g].y(), b.graphs[g].y()));
      ASSERT_TRUE(torch::equal(a.gt_node_mask[g], b.gt_node_mask[g]));
      ASSERT_TRUE(torch::equal(a.gt_edge_mask[g], b.gt_edge_mask[g]));
    }
    ASSERT_TRUE(torch::equal(a.eval_targets, b.eval_targets));
  }
}

TEST(SyntheticDatasetsTest, DifferentSeedGivesDifferentGraph) {
  for (const auto& name : synthetic_names()) {
    SCOPED_TRACE(name);
    const Dataset& a = cached(name);
    const Dataset b = make_synthetic(name, /*seed=*/1);
    bool differs = false;
    for (size_t g = 0; g < a.graphs.size() && !differs; ++g) {
      const auto& ea = a.graphs[g].edge_index();
      const auto& eb = b.graphs[g].edge_index();
      differs = !ea.sizes().equals(eb.sizes()) || !torch::equal(ea, eb);
    }
    EXPECT_TRUE(differs);
  }
  // BA-Community's features are random too.
  EXPECT_FALSE(torch::equal(cached("ba-community").graphs[0].x(),
                            make_synthetic("ba-community", 1).graphs[0].x()));
}

}  // namespace
}  // namespace gnnx::datasets
