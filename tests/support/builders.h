#pragma once
// Shared builders and references for the tests: small random graphs, a dense GCN matrix and a
// central finite-difference gradient (LibTorch's C++ API has no gradcheck).

#include <gnnx/gnn/gcn_adjacency.h>
#include <gnnx/gnn/graph.h>

#include <functional>
#include <random>
#include <set>
#include <utility>
#include <vector>

namespace gnnx::testing {

/// A random directed graph without self-loops or duplicate edges, features N(0,1).
inline gnn::Graph random_graph(int64_t num_nodes, int64_t num_edges, int64_t num_features,
                               uint64_t seed, torch::Dtype dtype = torch::kFloat) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> node(0, num_nodes - 1);
  std::set<std::pair<int64_t, int64_t>> edges;
  while (static_cast<int64_t>(edges.size()) < num_edges) {
    const int64_t u = node(rng), v = node(rng);
    if (u != v) edges.insert({u, v});
  }
  std::vector<int64_t> src, dst;
  // Shuffle edge order so that edge ids are not already in CSR order.
  std::vector<std::pair<int64_t, int64_t>> list(edges.begin(), edges.end());
  std::shuffle(list.begin(), list.end(), rng);
  for (auto [u, v] : list) {
    src.push_back(u);
    dst.push_back(v);
  }
  torch::manual_seed(seed);
  auto edge_index =
      torch::stack({torch::tensor(src, torch::kLong), torch::tensor(dst, torch::kLong)});
  return gnn::Graph(num_nodes, edge_index, torch::randn({num_nodes, num_features}, dtype));
}

/// Dense  D^-1/2 (A + I) D^-1/2  with A[dst][src] = weight (kAdjacency), or the unweighted
/// normalisation with each edge's entry multiplied by its weight (kMask).
inline torch::Tensor dense_gcn_matrix(const gnn::Graph& g, const torch::Tensor& weight,
                                      gnn::EdgeWeightMode mode) {
  const int64_t n = g.num_nodes();
  auto ones = torch::ones({g.num_edges()}, torch::kDouble);
  auto w = weight.defined() ? weight.to(torch::kDouble) : ones;
  auto a = torch::zeros({n, n}, torch::kDouble);
  auto a_unweighted = torch::zeros({n, n}, torch::kDouble);
  for (int64_t e = 0; e < g.num_edges(); ++e) {
    const int64_t s = g.edge_index()[0][e].item<int64_t>();
    const int64_t d = g.edge_index()[1][e].item<int64_t>();
    a[d][s] += w[e];
    a_unweighted[d][s] += 1.0;
  }
  auto eye = torch::eye(n, torch::kDouble);
  if (mode == gnn::EdgeWeightMode::kAdjacency) {
    auto ai = a + eye;
    auto dinv = ai.sum(1).pow(-0.5);
    return dinv.unsqueeze(1) * ai * dinv.unsqueeze(0);
  }
  auto ai = a_unweighted + eye;
  auto dinv = ai.sum(1).pow(-0.5);
  auto norm = dinv.unsqueeze(1) * (a_unweighted + eye) * dinv.unsqueeze(0);
  // Scale each off-diagonal entry by its weight (no duplicate edges in these tests).
  auto scale = torch::where(a_unweighted > 0, a / a_unweighted.clamp_min(1), torch::ones_like(a));
  return norm * scale;
}

/// Central finite differences of the scalar function f at `input` (double), same shape.
inline torch::Tensor numeric_gradient(const std::function<double(const torch::Tensor&)>& f,
                                      const torch::Tensor& input, double eps = 1e-6) {
  auto x = input.detach().clone();
  auto grad = torch::zeros_like(x);
  auto flat = x.view({-1});
  auto gflat = grad.view({-1});
  for (int64_t i = 0; i < flat.numel(); ++i) {
    const double orig = flat[i].item<double>();
    flat[i] = orig + eps;
    const double plus = f(x);
    flat[i] = orig - eps;
    const double minus = f(x);
    flat[i] = orig;
    gflat[i] = (plus - minus) / (2 * eps);
  }
  return grad;
}

}  // namespace gnnx::testing
