#include <gnnx/gnn/error.h>
#include <gnnx/gnn/graph.h>

#include <gtest/gtest.h>

#include <support/expect_error.h>

#include <limits>

using gnnx::InputError;
using gnnx::gnn::Graph;

namespace {

torch::Tensor edges(const std::vector<int64_t>& src, const std::vector<int64_t>& dst) {
  return torch::stack({torch::tensor(src, torch::kLong), torch::tensor(dst, torch::kLong)});
}

// Expects the call to throw InputError whose message contains the text.
using gnnx::testing::expect_error;

}  // namespace

TEST(GraphTest, CsrGroupsEdgesByTargetWithPermutation) {
  // edges: 0:2->0, 1:0->1, 2:2->1, 3:1->2
  Graph g(3, edges({2, 0, 2, 1}, {0, 1, 1, 2}), torch::ones({3, 2}));
  EXPECT_TRUE(torch::equal(g.csr().rowptr, torch::tensor({0, 1, 3, 4}, torch::kLong)));
  EXPECT_TRUE(torch::equal(g.csr().col, torch::tensor({2, 0, 2, 1}, torch::kLong)));
  EXPECT_TRUE(torch::equal(g.csr().perm, torch::tensor({0, 1, 2, 3}, torch::kLong)));
  // Reversed edge order: the CSR is the same, the permutation follows the ids.
  Graph r(3, edges({1, 2, 0, 2}, {2, 1, 1, 0}), torch::ones({3, 2}));
  EXPECT_TRUE(torch::equal(r.csr().col, torch::tensor({2, 0, 2, 1}, torch::kLong)));
  EXPECT_TRUE(torch::equal(r.csr().perm, torch::tensor({3, 2, 1, 0}, torch::kLong)));
  EXPECT_EQ(r.num_edges(), 4);
  EXPECT_EQ(r.num_features(), 2);
}

TEST(GraphTest, EmptyGraphAndIsolatedNodes) {
  Graph g(4, torch::zeros({2, 0}, torch::kLong), torch::zeros({4, 3}));
  EXPECT_EQ(g.num_edges(), 0);
  EXPECT_TRUE(torch::equal(g.csr().rowptr, torch::zeros({5}, torch::kLong)));
  Graph none(0, torch::Tensor(), torch::Tensor());
  EXPECT_EQ(none.num_nodes(), 0);
}

TEST(GraphTest, RejectsOutOfRangeNode) {
  expect_error(
      [] {
        Graph(3, edges({0, 1}, {1, 3}), torch::ones({3, 1}));
      },
      "edge_index[1][1] = 3 is out of range for 3 nodes");
  expect_error([] { Graph(3, edges({-1}, {1}), torch::ones({3, 1})); }, "= -1");
}

TEST(GraphTest, RejectsShapeMismatches) {
  expect_error(
      [] {
        Graph(3, torch::zeros({3, 2}, torch::kLong), torch::ones({3, 1}));
      },
      "edge_index must have shape [2, E]");
  expect_error(
      [] {
        Graph(3, edges({0}, {1}), torch::ones({4, 1}));
      },
      "features x must have shape [3, F]");
  expect_error(
      [] {
        Graph(3, edges({0}, {1}), torch::ones({3, 1}), {}, torch::ones({2, 1}));
      },
      "edge_attr must have one row per edge");
  expect_error(
      [] {
        Graph(3, torch::zeros({2, 1}), torch::ones({3, 1}));
      },
      "must be an integer tensor");
}

TEST(GraphTest, RejectsNegativeCountAndNonFiniteFeatures) {
  expect_error([] { Graph(-1, torch::Tensor(), torch::Tensor()); }, "must be >= 0");
  auto x = torch::ones({3, 2});
  x[1][1] = std::numeric_limits<float>::quiet_NaN();
  expect_error([&] { Graph(3, edges({0}, {1}), x); }, "feature x[1][1]");
  x[1][1] = std::numeric_limits<float>::infinity();
  expect_error([&] { Graph(3, edges({0}, {1}), x); }, "NaN or infinite");
  Graph ok(3, edges({0}, {1}), torch::ones({3, 2}));
  expect_error([&] { ok.with_features(x); }, "NaN or infinite");
  expect_error([&] { ok.with_features(torch::ones({3, 2}, torch::kLong)); }, "floating point");
}
