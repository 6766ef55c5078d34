#include <gnnx/gnn/error.h>
#include <gnnx/gnn/subgraph.h>

#include <gtest/gtest.h>

using namespace gnnx::gnn;

namespace {

// Undirected path 0 - 1 - 2 - 3 - 4 (both directions stored), features = node id.
Graph path_graph() {
  std::vector<int64_t> src, dst;
  for (int64_t v = 0; v < 4; ++v) {
    src.insert(src.end(), {v, v + 1});
    dst.insert(dst.end(), {v + 1, v});
  }
  auto x = torch::arange(5, torch::kFloat).unsqueeze(1);
  return Graph(5, torch::stack({torch::tensor(src), torch::tensor(dst)}), x,
               torch::tensor({0, 1, 2, 3, 4}, torch::kLong));
}

}  // namespace

TEST(SubgraphTest, KHopOfPathByHand) {
  const Graph g = path_graph();
  const Subgraph sub = k_hop_subgraph(g, torch::tensor({2}, torch::kLong), 1);
  EXPECT_TRUE(torch::equal(sub.node_id, torch::tensor({1, 2, 3}, torch::kLong)));
  // Edges among {1,2,3}: ids 2 (1->2), 3 (2->1), 4 (2->3), 5 (3->2).
  EXPECT_TRUE(torch::equal(sub.edge_id, torch::tensor({2, 3, 4, 5}, torch::kLong)));
  EXPECT_TRUE(torch::equal(sub.target, torch::tensor({1}, torch::kLong)));
  EXPECT_TRUE(torch::equal(sub.graph.x().squeeze(1), torch::tensor({1.f, 2.f, 3.f})));
  EXPECT_TRUE(torch::equal(sub.graph.y(), torch::tensor({1, 2, 3}, torch::kLong)));
  // Every subgraph edge maps back to the same original end points.
  for (int64_t e = 0; e < sub.graph.num_edges(); ++e) {
    const int64_t orig = sub.edge_id[e].item<int64_t>();
    for (int r = 0; r < 2; ++r) {
      EXPECT_EQ(sub.node_id[sub.graph.edge_index()[r][e]].item<int64_t>(),
                g.edge_index()[r][orig].item<int64_t>());
    }
  }
}

TEST(SubgraphTest, KHopFollowsIncomingEdgesOnly) {
  // 0 -> 1 -> 2: the computation graph of 1 is {0, 1}; of 0 it is {0}.
  Graph g(3, torch::tensor({{0, 1}, {1, 2}}, torch::kLong), torch::ones({3, 1}));
  EXPECT_TRUE(torch::equal(k_hop_subgraph(g, torch::tensor({1}), 2).node_id,
                           torch::tensor({0, 1}, torch::kLong)));
  EXPECT_TRUE(torch::equal(k_hop_subgraph(g, torch::tensor({0}), 2).node_id,
                           torch::tensor({0}, torch::kLong)));
}

TEST(SubgraphTest, KHopOfSeveralTargetsAndZeroHops) {
  const Graph g = path_graph();
  const Subgraph sub = k_hop_subgraph(g, torch::tensor({4, 0}, torch::kLong), 1);
  EXPECT_TRUE(torch::equal(sub.node_id, torch::tensor({0, 1, 3, 4}, torch::kLong)));
  EXPECT_TRUE(torch::equal(sub.target, torch::tensor({3, 0}, torch::kLong)));
  EXPECT_EQ(k_hop_subgraph(g, torch::tensor({2}), 0).graph.num_nodes(), 1);
}

TEST(SubgraphTest, KHopRejectsBadTargets) {
  const Graph g = path_graph();
  EXPECT_THROW(k_hop_subgraph(g, torch::tensor({5}), 1), gnnx::InputError);
  EXPECT_THROW(k_hop_subgraph(g, torch::tensor({-1}), 1), gnnx::InputError);
  EXPECT_THROW(k_hop_subgraph(g, torch::tensor({1}), -1), gnnx::InputError);
}

TEST(SubgraphTest, BatchIsBlockDiagonal) {
  Graph a(2, torch::tensor({{0}, {1}}, torch::kLong), torch::ones({2, 3}), torch::tensor({1}));
  Graph b(3, torch::tensor({{0, 2}, {1, 1}}, torch::kLong), torch::zeros({3, 3}),
          torch::tensor({0}));
  const Batch batch = make_batch({a, b});
  EXPECT_EQ(batch.num_graphs(), 2);
  EXPECT_EQ(batch.graph.num_nodes(), 5);
  EXPECT_TRUE(
      torch::equal(batch.graph.edge_index(), torch::tensor({{0, 2, 4}, {1, 3, 3}}, torch::kLong)));
  EXPECT_TRUE(torch::equal(batch.batch, torch::tensor({0, 0, 1, 1, 1}, torch::kLong)));
  EXPECT_TRUE(torch::equal(batch.graph.y(), torch::tensor({1, 0}, torch::kLong)));
  EXPECT_TRUE(torch::equal(batch.node_offset, torch::tensor({0, 2, 5}, torch::kLong)));
  EXPECT_TRUE(torch::equal(batch.edge_offset, torch::tensor({0, 1, 3}, torch::kLong)));
  Graph wide(1, torch::Tensor(), torch::ones({1, 4}));
  EXPECT_THROW(make_batch({a, wide}), gnnx::InputError);
}
