// GCN propagation benchmark: gnnx's CSR kernels against torch::sparse (COO and CSR mm) and a
// dense matmul, on BA-Shapes and on a random graph of 100k nodes / 2M edges / 64 features.
// Each case times the same operation,  out = Â x  with per-edge weights in Â (forward), and the
// gradients w.r.t. x and the edge weights (backward). torch::sparse mm in LibTorch 1.13 has no
// gradient for the values, so its backward is Âᵀ g by sparse mm plus a gather-based SDDMM, the
// way PyTorch-only GNN code computes edge-weight gradients.
//
//   gcn_bench [--threads N] [google-benchmark flags]   prints Google Benchmark's table, then a
//   markdown table with edges per second and the ratio to each baseline.

#include "guarded_main.h"

#include <gnnx/datasets/synthetic.h>
#include <gnnx/gnn/gcn_adjacency.h>

#include <ATen/Parallel.h>
#include <benchmark/benchmark.h>
#include <torch/autograd.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using gnnx::gnn::GcnAdjacency;
using gnnx::gnn::Graph;

struct Case {
  std::string name;
  Graph graph;
  std::unique_ptr<GcnAdjacency> adj;
  torch::Tensor x, weight_csr, grad_out;  // features, edge values (CSR order), upstream gradient
  torch::Tensor coo, coo_t, csr_tensor, dense, dense_t;  // baselines' matrices
  torch::Tensor src, dst, values_edge;                   // edge order, for the SDDMM baseline
};

std::map<std::string, std::unique_ptr<Case>>& cases() {
  static std::map<std::string, std::unique_ptr<Case>> all;
  return all;
}

Graph random_graph(int64_t n, int64_t e, int64_t f, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> node(0, n - 1);
  auto edge_index = torch::empty({2, e}, torch::kLong);
  auto* p = edge_index.data_ptr<int64_t>();
  for (int64_t k = 0; k < e; ++k) {
    p[k] = node(rng);
    p[e + k] = node(rng);
  }
  torch::manual_seed(seed);
  return Graph(n, edge_index, torch::randn({n, f}));
}

void add_case(const std::string& name, const Graph& graph, int64_t width, bool with_dense) {
  auto c = std::make_unique<Case>();
  c->name = name;
  c->graph = graph;
  c->adj = std::make_unique<GcnAdjacency>(graph);
  torch::manual_seed(1);
  const int64_t n = graph.num_nodes();
  c->x = torch::randn({n, width});
  c->grad_out = torch::randn({n, width});
  const auto mask = torch::rand({graph.num_edges()});
  c->values_edge = (c->adj->edge_norm().to(torch::kFloat) * mask).contiguous();
  c->weight_csr = c->values_edge.index_select(0, c->adj->csr().perm).contiguous();
  c->src = c->adj->src();
  c->dst = c->adj->dst();
  // Self-loops enter every baseline as explicit diagonal entries.
  const auto loops = torch::arange(n, torch::kLong);
  const auto rows = torch::cat({c->dst, loops});
  const auto cols = torch::cat({c->src, loops});
  const auto vals = torch::cat({c->values_edge, c->adj->self_norm().to(torch::kFloat)});
  c->coo = torch::sparse_coo_tensor(torch::stack({rows, cols}), vals, {n, n}).coalesce();
  c->coo_t = torch::sparse_coo_tensor(torch::stack({cols, rows}), vals, {n, n}).coalesce();
  c->csr_tensor = c->coo.to_sparse_csr();
  if (with_dense) {
    c->dense = c->coo.to_dense();
    c->dense_t = c->dense.t().contiguous();
  }
  cases()[name] = std::move(c);
}

void set_counters(benchmark::State& state, const Case& c) {
  state.SetItemsProcessed(state.iterations() * c.graph.num_edges());
  state.counters["nnz"] = double(c.graph.num_edges() + c.graph.num_nodes());
}

// --- forward ---------------------------------------------------------------------------------
void BM_gnnx_forward(benchmark::State& state, const std::string& name) {
  const Case& c = *cases().at(name);
  const auto diag = c.adj->self_norm().to(torch::kFloat);
  torch::NoGradGuard no_grad;
  for (auto _ : state)
    benchmark::DoNotOptimize(gnnx::gnn::csr_spmm(*c.adj, c.weight_csr, diag, c.x));
  set_counters(state, c);
}
void BM_torch_coo_forward(benchmark::State& state, const std::string& name) {
  const Case& c = *cases().at(name);
  torch::NoGradGuard no_grad;
  for (auto _ : state) benchmark::DoNotOptimize(torch::mm(c.coo, c.x));
  set_counters(state, c);
}
void BM_torch_csr_forward(benchmark::State& state, const std::string& name) {
  const Case& c = *cases().at(name);
  torch::NoGradGuard no_grad;
  for (auto _ : state) benchmark::DoNotOptimize(torch::mm(c.csr_tensor, c.x));
  set_counters(state, c);
}
void BM_dense_forward(benchmark::State& state, const std::string& name) {
  const Case& c = *cases().at(name);
  torch::NoGradGuard no_grad;
  for (auto _ : state) benchmark::DoNotOptimize(c.dense.mm(c.x));
  set_counters(state, c);
}

// --- forward + backward: out, then the gradients w.r.t. x and the edge weights
// ---------------------------------------
void BM_gnnx_backward(benchmark::State& state, const std::string& name) {
  const Case& c = *cases().at(name);
  const auto diag = c.adj->self_norm().to(torch::kFloat);
  auto x = c.x.clone().requires_grad_();
  auto w = c.weight_csr.clone().requires_grad_();
  for (auto _ : state) {
    auto out = gnnx::gnn::csr_spmm(*c.adj, w, diag, x);
    auto grads = torch::autograd::grad({out}, {x, w}, {c.grad_out});
    benchmark::DoNotOptimize(grads);
  }
  set_counters(state, c);
}
// Edge-weight gradient the torch way: gather both end points, multiply, sum.
torch::Tensor gather_sddmm(const Case& c) {
  return (c.grad_out.index_select(0, c.dst) * c.x.index_select(0, c.src)).sum(1);
}
void BM_torch_coo_backward(benchmark::State& state, const std::string& name) {
  const Case& c = *cases().at(name);
  torch::NoGradGuard no_grad;
  for (auto _ : state) {
    benchmark::DoNotOptimize(torch::mm(c.coo, c.x));
    benchmark::DoNotOptimize(torch::mm(c.coo_t, c.grad_out));
    benchmark::DoNotOptimize(gather_sddmm(c));
  }
  set_counters(state, c);
}
void BM_dense_backward(benchmark::State& state, const std::string& name) {
  const Case& c = *cases().at(name);
  torch::NoGradGuard no_grad;
  for (auto _ : state) {
    benchmark::DoNotOptimize(c.dense.mm(c.x));
    benchmark::DoNotOptimize(c.dense_t.mm(c.grad_out));
    benchmark::DoNotOptimize(c.grad_out.mm(c.x.t()));  // dense gradient of every entry of Â
  }
  set_counters(state, c);
}

// Collects real times per benchmark name for the ratio table.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      if (run.error_occurred) continue;
      std::string name = run.benchmark_name();
      const auto suffix = name.find("/real_time");
      if (suffix != std::string::npos) name.erase(suffix);
      seconds[name] = run.GetAdjustedRealTime() / 1e3;  // registered in ms
      edges[name] = run.counters.count("items_per_second")
                        ? double(run.counters.at("items_per_second"))
                        : 0.0;
    }
  }
  std::map<std::string, double> seconds, edges;
};

void print_ratio_table(const RatioReporter& r) {
  std::printf(
      "\n| graph | pass (backward = forward + backward) | gnnx ms | gnnx edges/s | torch::sparse "
      "COO ms | CSR mm ms | dense ms | "
      "vs COO | vs CSR | vs dense |\n|---|---|---|---|---|---|---|---|---|---|\n");
  for (const auto& entry : cases()) {
    // A named reference, not a structured binding: lambdas may not capture bindings in C++17
    // (GCC accepts it, clang does not).
    const std::string& name = entry.first;
    for (std::string pass : {"forward", "backward"}) {  // "backward" rows time forward + backward
      auto get = [&](const std::string& who) {
        auto it = r.seconds.find(who + "_" + pass + "/" + name);
        return it == r.seconds.end() ? -1.0 : it->second * 1e3;
      };
      const double ours = get("gnnx"), coo = get("torch_coo"), csr = get("torch_csr"),
                   dense = get("dense");
      auto cell = [](double v) {
        return v < 0 ? std::string("n/a") : std::to_string(v).substr(0, 7);
      };
      auto ratio = [&](double v) {
        return v < 0 ? std::string("n/a") : std::to_string(v / ours).substr(0, 5) + "x";
      };
      std::printf("| %s | %s | %s | %.3g | %s | %s | %s | %s | %s | %s |\n", name.c_str(),
                  pass.c_str(), cell(ours).c_str(),
                  r.edges.count("gnnx_" + pass + "/" + name)
                      ? r.edges.at("gnnx_" + pass + "/" + name)
                      : 0.0,
                  cell(coo).c_str(), cell(csr).c_str(), cell(dense).c_str(), ratio(coo).c_str(),
                  ratio(csr).c_str(), ratio(dense).c_str());
    }
  }
  std::printf("\n(ratios are baseline time / gnnx time: > 1 means gnnx is faster; threads: %d)\n",
              at::get_num_threads());
}

int run(int argc, char** argv) {
  int threads = static_cast<int>(std::thread::hardware_concurrency());
  std::vector<char*> rest{argv[0]};
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      threads = std::atoi(argv[++i]);
    } else {
      rest.push_back(argv[i]);
    }
  }
  at::set_num_threads(threads > 0 ? threads : 1);
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());

  const auto ba = gnnx::datasets::make_synthetic("ba-shapes", 0);
  add_case("ba-shapes", ba.graphs[0], /*width=*/20, /*with_dense=*/true);
  add_case("random-100k-2M", random_graph(100000, 2000000, 64, 7), /*width=*/64,
           /*with_dense=*/false);
  for (const auto& entry : cases()) {
    const std::string& name = entry.first;  // captured below: no structured binding (C++17)
    const auto& c = entry.second;
    auto add = [&](const std::string& label, auto fn) {
      benchmark::RegisterBenchmark((label + "/" + name).c_str(), fn, name)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
    };
    add("gnnx_forward", BM_gnnx_forward);
    add("torch_coo_forward", BM_torch_coo_forward);
    add("torch_csr_forward", BM_torch_csr_forward);
    if (c->dense.defined()) add("dense_forward", BM_dense_forward);
    add("gnnx_backward", BM_gnnx_backward);
    add("torch_coo_backward", BM_torch_coo_backward);
    if (c->dense.defined()) add("dense_backward", BM_dense_backward);
  }
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  print_ratio_table(reporter);
  benchmark::Shutdown();
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return gnnx::bench::guarded_main("gcn_bench", argc, argv, run); }
