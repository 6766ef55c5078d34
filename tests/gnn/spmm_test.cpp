#include <gnnx/gnn/gcn_adjacency.h>

#include <ATen/Parallel.h>
#include <gtest/gtest.h>

#include "support/builders.h"

using namespace gnnx::gnn;
using gnnx::testing::numeric_gradient;
using gnnx::testing::random_graph;

namespace {

// Dense reference of csr_spmm: M[dst][src] = value of the edge, plus diag.
torch::Tensor dense_reference(const GcnAdjacency& adj, const torch::Tensor& values_csr,
                              const torch::Tensor& diag, const torch::Tensor& x) {
  const int64_t n = adj.num_nodes();
  auto m = torch::zeros({n, n}, torch::kDouble);
  const auto& csr = adj.csr();
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t k = csr.rowptr[i].item<int64_t>(); k < csr.rowptr[i + 1].item<int64_t>(); ++k) {
      m[i][csr.col[k].item<int64_t>()] += values_csr[k].item<double>();
    }
  }
  if (diag.defined()) m += torch::diag(diag.to(torch::kDouble));
  return m.matmul(x.to(torch::kDouble));
}

}  // namespace

TEST(SpmmTest, TransposeMapsBackToTheSameEdges) {
  const Graph g = random_graph(30, 120, 2, /*seed=*/3);
  const GcnAdjacency adj(g);
  const auto& t = adj.csr_t();
  // Entry k of the transpose (row = source) must be CSR entry perm[k], the same edge.
  for (int64_t s = 0; s < adj.num_nodes(); ++s) {
    for (int64_t k = t.rowptr[s].item<int64_t>(); k < t.rowptr[s + 1].item<int64_t>(); ++k) {
      const int64_t edge = adj.csr().perm[t.perm[k]].item<int64_t>();
      EXPECT_EQ(adj.src()[edge].item<int64_t>(), s);
      EXPECT_EQ(adj.dst()[edge].item<int64_t>(), t.col[k].item<int64_t>());
    }
  }
}

TEST(SpmmTest, ForwardMatchesDenseReference) {
  for (uint64_t seed : {1, 2, 3}) {
    const Graph g = random_graph(40, 200, 7, seed);
    const GcnAdjacency adj(g);
    auto values = torch::rand({adj.num_edges()});
    auto diag = torch::rand({adj.num_nodes()});
    auto out = csr_spmm(adj, values, diag, g.x());
    EXPECT_TRUE(torch::allclose(out.to(torch::kDouble), dense_reference(adj, values, diag, g.x()),
                                1e-5, 1e-5));
    auto no_diag = csr_spmm(adj, values, torch::Tensor(), g.x());
    EXPECT_TRUE(torch::allclose(no_diag.to(torch::kDouble),
                                dense_reference(adj, values, torch::Tensor(), g.x()), 1e-5, 1e-5));
  }
}

// Widths 16/20/32/64 run compile-time-width kernels, others the general one. Padding x with a
// zero column sends the same product through the general kernel: the common columns of the
// output, of the feature gradient and the value gradient must be equal bit for bit, and the
// forward must match the dense reference.
TEST(SpmmTest, FixedWidthKernelsEqualTheGeneralOneBitForBit) {
  const Graph g = random_graph(300, 3000, 1, /*seed=*/9);
  const GcnAdjacency adj(g);
  torch::manual_seed(4);
  const auto values = torch::rand({adj.num_edges()});
  const auto diag = torch::rand({adj.num_nodes()});
  for (int64_t width : {16, 20, 32, 64}) {
    SCOPED_TRACE(width);
    const auto x = torch::randn({adj.num_nodes(), width});
    const auto probe = torch::randn({adj.num_nodes(), width + 1});
    auto run = [&](const torch::Tensor& features) {
      auto v = values.clone().requires_grad_();
      auto f = features.clone().requires_grad_();
      auto out = csr_spmm(adj, v, diag, f);
      (out * probe.slice(1, 0, features.size(1))).sum().backward();
      return std::make_tuple(out.detach(), v.grad(), f.grad());
    };
    const auto [out, grad_v, grad_x] = run(x);
    const auto [out_pad, grad_v_pad, grad_x_pad] =
        run(torch::cat({x, torch::zeros({adj.num_nodes(), 1})}, 1));
    EXPECT_TRUE(torch::equal(out, out_pad.slice(1, 0, width)))
        << (out - out_pad.slice(1, 0, width)).abs().max().item<float>();
    EXPECT_TRUE(torch::equal(grad_x, grad_x_pad.slice(1, 0, width)));
    EXPECT_TRUE(torch::equal(grad_v, grad_v_pad));
    EXPECT_TRUE(
        torch::allclose(out.to(torch::kDouble), dense_reference(adj, values, diag, x), 1e-5, 1e-5));
  }
}

TEST(SpmmTest, GradientsMatchFiniteDifferencesInDouble) {
  const Graph g = random_graph(12, 40, 3, /*seed=*/5, torch::kDouble);
  const GcnAdjacency adj(g);
  auto values = torch::rand({adj.num_edges()}, torch::kDouble).requires_grad_();
  auto diag = torch::rand({adj.num_nodes()}, torch::kDouble).requires_grad_();
  auto x = g.x().clone().requires_grad_();
  auto probe = torch::randn({adj.num_nodes(), 3}, torch::kDouble);  // loss = <probe, out>
  (csr_spmm(adj, values, diag, x) * probe).sum().backward();

  auto loss_values = [&](const torch::Tensor& v) {
    return (csr_spmm(adj, v, diag.detach(), x.detach()) * probe).sum().item<double>();
  };
  auto loss_diag = [&](const torch::Tensor& d) {
    return (csr_spmm(adj, values.detach(), d, x.detach()) * probe).sum().item<double>();
  };
  auto loss_x = [&](const torch::Tensor& xx) {
    return (csr_spmm(adj, values.detach(), diag.detach(), xx) * probe).sum().item<double>();
  };
  EXPECT_TRUE(torch::allclose(values.grad(), numeric_gradient(loss_values, values), 1e-6, 1e-7));
  EXPECT_TRUE(torch::allclose(diag.grad(), numeric_gradient(loss_diag, diag), 1e-6, 1e-7));
  EXPECT_TRUE(torch::allclose(x.grad(), numeric_gradient(loss_x, x), 1e-6, 1e-7));
}

TEST(SpmmTest, EmptyRowsAndEmptyGraph) {
  // Node 2 has no incoming edge: its row is diag * x only.
  Graph g(3, torch::tensor({{0, 1}, {1, 0}}, torch::kLong), torch::ones({3, 2}));
  const GcnAdjacency adj(g);
  auto out = csr_spmm(adj, torch::full({2}, 2.f), torch::full({3}, 0.5f), g.x());
  EXPECT_TRUE(torch::allclose(out, torch::tensor({{2.5f, 2.5f}, {2.5f, 2.5f}, {0.5f, 0.5f}})));
  Graph empty(0, torch::Tensor(), torch::zeros({0, 4}));
  EXPECT_EQ(csr_spmm(GcnAdjacency(empty), torch::zeros({0}), torch::zeros({0}), empty.x()).numel(),
            0);
}

TEST(SpmmTest, IdenticalAcrossThreadCounts) {
  // Large enough to be split into chunks; a hub row exercises the load balancing.
  const Graph g = random_graph(3000, 60000, 32, /*seed=*/9);
  const GcnAdjacency adj(g);
  auto values = torch::rand({adj.num_edges()}).requires_grad_();
  auto x = g.x().clone().requires_grad_();
  auto run = [&](int threads) {
    at::set_num_threads(threads);
    values.mutable_grad() = torch::Tensor();
    x.mutable_grad() = torch::Tensor();
    auto out = csr_spmm(adj, values, adj.self_norm().to(torch::kFloat), x);
    (out * out).sum().backward();
    return std::make_tuple(out.detach(), values.grad().clone(), x.grad().clone());
  };
  const auto [out1, gv1, gx1] = run(1);
  const auto [out2, gv2, gx2] = run(2);
  const auto [out4, gv4, gx4] = run(4);
  EXPECT_TRUE(torch::equal(out1, out2) && torch::equal(out1, out4));
  EXPECT_TRUE(torch::equal(gv1, gv2) && torch::equal(gv1, gv4));
  EXPECT_TRUE(torch::equal(gx1, gx2) && torch::equal(gx1, gx4));
}

TEST(SpmmTest, RejectsWrongShapes) {
  const Graph g = random_graph(10, 20, 3, /*seed=*/1);
  const GcnAdjacency adj(g);
  EXPECT_THROW(csr_spmm(adj, torch::ones({19}), torch::Tensor(), g.x()), c10::Error);
  EXPECT_THROW(csr_spmm(adj, torch::ones({20}), torch::ones({9}), g.x()), c10::Error);
  EXPECT_THROW(csr_spmm(adj, torch::ones({20}), torch::Tensor(), torch::ones({11, 3})), c10::Error);
  EXPECT_THROW(csr_spmm(adj, torch::ones({20}, torch::kDouble), torch::Tensor(), g.x()),
               c10::Error);
}
