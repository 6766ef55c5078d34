// GCN propagation on the GPU: gnnx's CUDA kernels against cuSPARSE (torch::sparse CSR mm and
// sampled_addmm) and, when Python with PyTorch Geometric is present, PyG's GCNConv with
// edge_weight — all in one run, on BA-Shapes (700 nodes) and on a power-law random graph
// (default 2.4M nodes, 62M edges, F=128, the size of ogbn-products).
//
//   gcn_cuda_bench [--nodes N] [--edges E] [--width F] [--iters K] [--seed S] [--no-pyg]
//
// Prints a markdown table: time per call, GFLOP/s, effective bandwidth (the minimal bytes the
// operation must move / its time) and that as a share of the device's peak memory bandwidth
// (the roofline of a memory-bound kernel), and the ratio of each baseline's time to ours.

#include "guarded_main.h"

#include <gnnx/datasets/synthetic.h>
#include <gnnx/gnn/gcn_adjacency.h>
#include <gnnx/gnn/gcn_conv.h>

#include "cuda/spmm_cuda_ops.h"
#include "device_adjacency.h"

#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>
#include <torch/autograd.h>
#include <torch/cuda.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>

namespace {

using gnnx::gnn::GcnAdjacency;
using gnnx::gnn::Graph;
namespace detail = gnnx::gnn::detail;

const torch::Device kGpu(torch::kCUDA, 0);

struct Options {
  int64_t nodes = 2400000, edges = 62000000, width = 128, iters = 20;
  uint64_t seed = 0;
  bool pyg = true;
  std::string pyg_script = GNNX_PYG_SCRIPT;
};

/// Mean milliseconds per call of f over `iters` calls after 3 warm-ups, by CUDA events.
double time_ms(const std::function<void()>& f, int64_t iters) {
  for (int i = 0; i < 3; ++i) f();
  cudaEvent_t start, stop;
  cudaEventCreate(&start);
  cudaEventCreate(&stop);
  cudaEventRecord(start);
  for (int64_t i = 0; i < iters; ++i) f();
  cudaEventRecord(stop);
  cudaEventSynchronize(stop);
  float ms = 0;
  cudaEventElapsedTime(&ms, start, stop);
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  return ms / double(iters);
}

double peak_bandwidth_gbs() {
  int clock_khz = 0, bus_bits = 0;
  if (cudaDeviceGetAttribute(&clock_khz, cudaDevAttrMemoryClockRate, 0) != cudaSuccess ||
      cudaDeviceGetAttribute(&bus_bits, cudaDevAttrGlobalMemoryBusWidth, 0) != cudaSuccess) {
    cudaGetLastError();
    return 0;
  }
  return 2.0 * clock_khz * 1e3 * (bus_bits / 8.0) / 1e9;  // double data rate
}

/// Power-law graph made on the GPU with torch's seeded generator: endpoints u^3 * N (node i is
/// hit with density ∝ (i/N)^(-2/3): a degree tail with exponent 2.5 and hubs of ~10^5 edges),
/// then node ids shuffled. bench/pyg_gcn_bench.py makes the same graph with the same calls.
Graph power_law_graph(int64_t nodes, int64_t edges, uint64_t seed) {
  torch::manual_seed(seed);
  const auto opts = torch::TensorOptions().device(kGpu).dtype(torch::kDouble);
  const auto endpoint = [&] {
    return (torch::rand({edges}, opts).pow(3) * double(nodes))
        .to(torch::kLong)
        .clamp_max(nodes - 1);
  };
  const auto src = endpoint();
  const auto dst = endpoint();
  const auto relabel =
      torch::randperm(nodes, torch::TensorOptions().device(kGpu).dtype(torch::kLong));
  const auto edge_index =
      torch::stack({relabel.index_select(0, src), relabel.index_select(0, dst)});
  return Graph(nodes, edge_index.cpu(), torch::zeros({nodes, 1}));
}

struct Row {
  std::string graph, op, impl;
  double ms = 0, flops = 0, bytes = 0, ours_ms = 0;
};

void print_header(double peak) {
  std::printf("\npeak memory bandwidth %.0f GB/s (%s)\n\n", peak,
              peak > 0 ? "from the device's clock and bus width" : "unknown");
  std::printf(
      "| graph | operation | implementation | time | GFLOP/s | effective GB/s | of peak |"
      " time / gnnx |\n|---|---|---|---|---|---|---|---|\n");
}

void print_row(const Row& r, double peak) {
  const double s = r.ms / 1e3;
  const std::string time = r.ms < 0.1 ? std::to_string(int(r.ms * 1e3 + 0.5)) + " µs"
                                      : std::to_string(r.ms).substr(0, 6) + " ms";
  char gbs[32] = "–", share[32] = "–";
  if (r.bytes > 0) {
    std::snprintf(gbs, sizeof gbs, "%.0f", r.bytes / s / 1e9);
    if (peak > 0) std::snprintf(share, sizeof share, "%.0f%%", 100 * r.bytes / s / 1e9 / peak);
  }
  std::printf("| %s | %s | %s | %s | %.0f | %s | %s | %.2f× |\n", r.graph.c_str(), r.op.c_str(),
              r.impl.c_str(), time.c_str(), r.flops / s / 1e9, gbs, share, r.ms / r.ours_ms);
  std::fflush(stdout);
}

/// Runs the PyG script on the same graph (its edge list written to a temporary file); nullopt
/// (reported as missing) without Python or PyG.
std::optional<nlohmann::json> run_pyg(const Options& o, const GcnAdjacency& adj, int64_t width,
                                      std::string& why_not) {
  why_not = "--no-pyg";
  if (!o.pyg) return std::nullopt;
  why_not = "python3 with torch_geometric did not run";
  const std::string edges_file = "/tmp/gnnx_gcn_cuda_bench_edges.bin";
  {
    const auto edge_index = torch::stack({adj.src(), adj.dst()}).contiguous();
    FILE* f = std::fopen(edges_file.c_str(), "wb");
    if (!f) return std::nullopt;
    const size_t count = size_t(edge_index.numel());
    const bool ok = std::fwrite(edge_index.data_ptr<int64_t>(), sizeof(int64_t), count, f) == count;
    if (std::fclose(f) != 0 || !ok) return std::nullopt;
  }
  const std::string cmd = "python3 " + o.pyg_script + " --edges-file " + edges_file + " --nodes " +
                          std::to_string(adj.num_nodes()) + " --width " + std::to_string(width) +
                          " --iters " + std::to_string(o.iters) + " --seed " +
                          std::to_string(o.seed) + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return std::nullopt;
  std::string out;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
  const int status = pclose(pipe);
  std::remove(edges_file.c_str());
  const auto brace = out.find_last_of('{');
  if (status != 0 || brace == std::string::npos) {
    std::fprintf(stderr, "PyG baseline did not run:\n%s\n", out.c_str());
    if (out.find("OutOfMemoryError") != std::string::npos) why_not = "CUDA out of memory";
    return std::nullopt;
  }
  try {
    return nlohmann::json::parse(out.substr(brace));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void bench_graph(const std::string& name, const Graph& graph, int64_t width, const Options& o,
                 double peak) {
  const GcnAdjacency adj(graph);
  const auto& on = adj.on_device(kGpu);
  const auto& pattern = *on.cuda;
  const int64_t n = adj.num_nodes(), nnz = adj.num_edges();
  torch::manual_seed(o.seed + 1);
  const auto opts = torch::TensorOptions().device(kGpu);
  const auto x = torch::randn({n, width}, opts);
  const auto g = torch::randn({n, width}, opts);
  const auto values = torch::rand({nnz}, opts);
  const auto diag = torch::rand({n}, opts);
  const double F = double(width), N = double(n), E = double(nnz);

  // cuSPARSE through torch::sparse: A (rows = targets) and Aᵀ, int32 indices like ours.
  const auto& fwd = pattern.forward;
  const auto& tr = pattern.transposed;
  const auto int32 = [](const torch::Tensor& t) { return t.to(torch::kInt); };
  const auto a = torch::sparse_csr_tensor(int32(fwd.rowptr), fwd.col, values, {n, n}, opts);
  const auto values_t = values.index_select(0, pattern.perm_t);
  const auto a_t = torch::sparse_csr_tensor(int32(tr.rowptr), tr.col, values_t, {n, n}, opts);

  torch::NoGradGuard no_grad;
  // Forward: ours computes diag ⊙ x + A x; cuSPARSE A x alone (less work: conservative).
  Row fwd_ours{name, "SpMM forward", "gnnx CUDA"};
  fwd_ours.ms = time_ms([&] { detail::spmm_cuda(fwd, values, diag, x); }, o.iters);
  fwd_ours.flops = 2 * E * F + 2 * N * F;
  fwd_ours.bytes = 2 * N * F * 4 + E * 8 + N * 8;  // x, out; col + value; rowptr
  fwd_ours.ours_ms = fwd_ours.ms;
  print_row(fwd_ours, peak);
  // Narrower feature tiles per pass (see cuda::spmm): fewer bytes per gathered row, more rows
  // in L2, at the price of reading the CSR once per tile.
  for (const int64_t tile : {64, 32}) {
    if (tile >= width) continue;
    Row tiled = fwd_ours;
    tiled.impl = "gnnx CUDA, " + std::to_string(tile) + "-feature tiles";
    tiled.ms = time_ms([&] { detail::spmm_cuda(fwd, values, diag, x, tile); }, o.iters);
    print_row(tiled, peak);
  }
  Row fwd_cusparse = fwd_ours;
  fwd_cusparse.impl = "cuSPARSE (torch CSR mm, A x only)";
  fwd_cusparse.ms = time_ms([&] { torch::mm(a, x); }, o.iters);
  print_row(fwd_cusparse, peak);

  // Backward: feature gradient and edge-value gradient.
  Row bwd_ours{name, "SpMM backward (dx + dvalues)", "gnnx CUDA (fused)"};
  bwd_ours.ms = time_ms(
      [&] { detail::spmm_cuda_backward(tr, pattern.perm_t, values, diag, x, g, true, true); },
      o.iters);
  bwd_ours.flops = 4 * E * F + 2 * N * F;
  bwd_ours.bytes = 3 * N * F * 4 + E * (4 + 4 + 8 + 4) + N * 8;  // g, x, dx; col, v, perm, dv
  bwd_ours.ours_ms = bwd_ours.ms;
  print_row(bwd_ours, peak);
  Row bwd_cusparse = bwd_ours;
  bwd_cusparse.impl = "cuSPARSE (Aᵀ g mm + sampled_addmm)";
  const auto pattern_csr =
      torch::sparse_csr_tensor(int32(fwd.rowptr), fwd.col, torch::ones({nnz}, opts), {n, n}, opts);
  bwd_cusparse.ms = time_ms(
      [&] {
        torch::mm(a_t, g);
        at::sparse_sampled_addmm(pattern_csr, g, x.t(), /*beta=*/0, /*alpha=*/1);
      },
      o.iters);
  print_row(bwd_cusparse, peak);
  std::printf("| %s | backward / forward | gnnx CUDA | %.2f× | | | | |\n", name.c_str(),
              bwd_ours.ms / fwd_ours.ms);

  // A whole layer, forward + backward with edge weights needing gradients (PyG's semantics:
  // the weight enters the degree), against PyG's GCNConv on the same graph.
  torch::AutoGradMode grad_mode(true);
  gnnx::gnn::GCNConv conv(gnnx::gnn::GCNConvOptions(width, width)
                              .edge_weight_mode(gnnx::gnn::EdgeWeightMode::kAdjacency));
  conv->to(kGpu);
  const auto w = torch::rand({nnz}, opts).requires_grad_(true);
  Row layer{name, "GCN layer fwd+bwd, F→F, edge_weight grad", "gnnx CUDA"};
  layer.ms = time_ms(
      [&] {
        auto out = conv->forward(x, adj, w);
        out.backward(g);
      },
      o.iters);
  layer.flops = 4 * N * F * F + 6 * E * F;
  layer.ours_ms = layer.ms;
  print_row(layer, peak);
  Row layer_fwd{name, "GCN layer forward", "gnnx CUDA"};
  {
    torch::NoGradGuard inference;
    layer_fwd.ms = time_ms([&] { conv->forward(x, adj, w); }, o.iters);
  }
  layer_fwd.flops = 2 * N * F * F + 2 * E * F;
  layer_fwd.ours_ms = layer_fwd.ms;
  print_row(layer_fwd, peak);
  {
    // The same forward replayed from a CUDA graph: what a fixed-shape loop (an explainer's mask
    // optimisation) pays per layer once the per-op launch overhead is gone.
    // The explainers' layer: the mask multiplies normalised messages (EdgeWeightMode::kMask).
    torch::NoGradGuard inference;
    gnnx::gnn::GCNConv mask_conv(gnnx::gnn::GCNConvOptions(width, width));
    mask_conv->to(kGpu);
    const auto mask = torch::rand({nnz}, opts);
    Row eager = layer_fwd;
    eager.op = "GCN layer forward, edge mask";
    eager.ms = time_ms([&] { mask_conv->forward(x, adj, mask); }, o.iters);
    print_row(eager, peak);
    at::cuda::CUDAGraph cuda_graph;
    {
      const auto side = c10::cuda::getStreamFromPool();
      const c10::cuda::CUDAStreamGuard on_side(side);
      cuda_graph.capture_begin();
      mask_conv->forward(x, adj, mask);
      cuda_graph.capture_end();
    }
    Row replay = eager;
    replay.impl = "gnnx CUDA, CUDA graph replay";
    replay.ms = time_ms([&] { cuda_graph.replay(); }, o.iters * 10);
    print_row(replay, peak);
  }
  c10::cuda::CUDACachingAllocator::emptyCache();
  std::string why_not;
  if (const auto pyg = run_pyg(o, adj, width, why_not)) {
    Row p = layer;
    p.impl = "PyG " + pyg->value("version", std::string("?")) + " GCNConv";
    p.ms = (*pyg)["fwd_bwd_ms"].get<double>();
    print_row(p, peak);
    Row pf = layer_fwd;
    pf.impl = p.impl;
    pf.ms = (*pyg)["fwd_ms"].get<double>();
    print_row(pf, peak);
  } else {
    std::printf("| %s | GCN layer | PyG GCNConv | not measured: %s | | | | |\n", name.c_str(),
                why_not.c_str());
  }
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "gcn_cuda_bench: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--nodes")
      o.nodes = std::stoll(next());
    else if (a == "--edges")
      o.edges = std::stoll(next());
    else if (a == "--width")
      o.width = std::stoll(next());
    else if (a == "--iters")
      o.iters = std::stoll(next());
    else if (a == "--seed")
      o.seed = std::stoull(next());
    else if (a == "--no-pyg")
      o.pyg = false;
    else if (a == "--pyg-script")
      o.pyg_script = next();
    else {
      std::fprintf(stderr, "gcn_cuda_bench: unknown flag %s\n", a.c_str());
      std::exit(2);
    }
  }
  return o;
}

int run(int argc, char** argv) {
  const Options o = parse(argc, argv);
  if (!torch::cuda::is_available()) {
    std::fprintf(stderr, "gcn_cuda_bench: no CUDA device present\n");
    return 2;
  }
  cudaDeviceProp prop{};
  cudaGetDeviceProperties(&prop, 0);
  const double peak = peak_bandwidth_gbs();
  std::printf("device: %s, %d SMs, %.0f MB L2\n", prop.name, prop.multiProcessorCount,
              prop.l2CacheSize / 1e6);
  print_header(peak);
  const auto ba = gnnx::datasets::make_synthetic("ba-shapes", o.seed);
  bench_graph("BA-Shapes (700 nodes, 4110 edges, F=20)", ba.graphs.at(0), 20, o, peak);
  const Graph big = power_law_graph(o.nodes, o.edges, o.seed);
  const std::string big_name = "power law (" + std::to_string(o.nodes) + " nodes, " +
                               std::to_string(o.edges) + " edges, F=" + std::to_string(o.width) +
                               ")";
  {
    // A tenth of the size, where PyG's per-edge message tensors still fit in GPU memory.
    const Graph mid = power_law_graph(o.nodes / 10, o.edges / 10, o.seed);
    bench_graph("power law (" + std::to_string(o.nodes / 10) + " nodes, " +
                    std::to_string(o.edges / 10) + " edges, F=" + std::to_string(o.width) + ")",
                mid, o.width, o, peak);
  }
  bench_graph(big_name, big, o.width, o, peak);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return gnnx::bench::guarded_main("gcn_cuda_bench", argc, argv, run);
}
