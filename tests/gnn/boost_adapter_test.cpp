#include <gnnx/gnn/boost_graph.h>
#include <gnnx/gnn/error.h>

#include <gtest/gtest.h>
#include <boost/graph/graph_concepts.hpp>

using namespace gnnx::gnn;

// The adapters satisfy the concepts the algorithms we call require (compile-time check).
BOOST_CONCEPT_ASSERT((boost::BidirectionalGraphConcept<BoostDigraph>));
BOOST_CONCEPT_ASSERT((boost::IncidenceGraphConcept<BoostGraph>));

TEST(BoostAdapterTest, ConnectedComponentsByHand) {
  // {0,1,2} connected (directed edges count as links), {3}, {4,5}.
  Graph g(6, torch::tensor({{0, 2, 5}, {1, 1, 4}}, torch::kLong), torch::ones({6, 1}));
  EXPECT_TRUE(
      torch::equal(connected_components(g), torch::tensor({0, 0, 0, 1, 2, 2}, torch::kLong)));
}

TEST(BoostAdapterTest, BfsDistancesFollowDirections) {
  Graph g(4, torch::tensor({{0, 1, 3}, {1, 2, 0}}, torch::kLong), torch::ones({4, 1}));
  EXPECT_TRUE(torch::equal(bfs_distances(g, 0), torch::tensor({0, 1, 2, -1}, torch::kLong)));
  EXPECT_THROW(bfs_distances(g, 4), gnnx::InputError);
}

TEST(BoostAdapterTest, UndirectedViewMergesReverseEdges) {
  Graph g(3, torch::tensor({{0, 1, 1}, {1, 0, 2}}, torch::kLong), torch::ones({3, 1}));
  EXPECT_EQ(boost::num_edges(to_boost_undirected(g)), 2u);
  EXPECT_EQ(boost::num_edges(to_boost_undirected(g, /*merge_reverse=*/false)), 3u);
  EXPECT_EQ(boost::num_edges(to_boost_digraph(g)), 3u);
}
