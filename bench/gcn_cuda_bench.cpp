// GCN propagation on the GPU: gnnx's CUDA kernels against cuSPARSE — cached (descriptors and
// work buffer made once, only cusparseSpMM / cusparseSDDMM timed: bench/cusparse_cached.h) and
// through torch::sparse CSR mm and sampled_addmm (which remake both on every call) — and, when
// Python with PyTorch Geometric is present, PyG's GCNConv with edge_weight, all in one run, on
// BA-Shapes (700 nodes, F=20) and on power-law random graphs (default 2.4M nodes / 62M edges, the
// size of ogbn-products, and a tenth of that) at each width of --widths.
//
//   gcn_cuda_bench [--nodes N] [--edges E] [--width F] [--widths F1,F2,...] [--iters K]
//                  [--seed S] [--no-pyg] [--pyg-max-edges E] [--json FILE]
//
// --width is the width of the GCN-layer and PyG rows (default 128); --widths those of the SpMM
// rows (default: --width). PyG runs at --width on graphs of at most --pyg-max-edges edges
// (default 10M: its per-edge message tensors and its start take long at 62M).
// Prints a markdown table: time per call, GFLOP/s, effective bandwidth (the minimal bytes the
// operation must move / its time) as a share of the device's peak (from its memory clock) and of
// the device-to-device copy bandwidth measured at the start of the run, and the ratio of each
// baseline's time to ours; then per graph and width the summary against issue 22's targets
// (forward ≥ 1.3× cached cuSPARSE SpMM, backward ≤ 1.3× our forward, forward + backward ≥ 3×
// cached cuSPARSE SpMM + SpMM + SDDMM). --json FILE writes all of it, machine-readable.

#include "guarded_main.h"

#include <gnnx/datasets/synthetic.h>
#include <gnnx/gnn/gcn_adjacency.h>
#include <gnnx/gnn/gcn_conv.h>

#include "cuda/spmm_cuda_ops.h"
#include "cusparse_cached.h"
#include "device_adjacency.h"

#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>
#include <torch/autograd.h>
#include <torch/cuda.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

using gnnx::gnn::GcnAdjacency;
using gnnx::gnn::Graph;
namespace detail = gnnx::gnn::detail;

const torch::Device kGpu(torch::kCUDA, 0);

struct Options {
  int64_t nodes = 2400000, edges = 62000000, width = 128, iters = 20;
  int64_t pyg_max_edges = 10000000;
  std::vector<int64_t> widths;  // empty: {width}
  uint64_t seed = 0;
  bool pyg = true;
  std::string pyg_script = GNNX_PYG_SCRIPT, json_path;
};

/// What every row is compared with: the device's peak memory bandwidth (from its clock and bus
/// width; 0 if unknown) and the device-to-device copy bandwidth measured in this run.
struct Ceilings {
  double peak_gbs = 0, copy_gbs = 0;
};

/// Everything the run measured, for --json.
nlohmann::json g_results = {{"rows", nlohmann::json::array()},
                            {"summary", nlohmann::json::array()}};

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
  int64_t width = 0;
};

void print_header(const Ceilings& c) {
  std::printf(
      "\npeak memory bandwidth %.0f GB/s (%s); device-to-device copy %.0f GB/s "
      "(measured: bytes read + written)\n\n",
      c.peak_gbs, c.peak_gbs > 0 ? "from the device's clock and bus width" : "unknown", c.copy_gbs);
  std::printf(
      "| graph | operation | implementation | time | GFLOP/s | effective GB/s | of peak |"
      " of copy | time / gnnx |\n|---|---|---|---|---|---|---|---|---|\n");
}

/// Effective bandwidth (GB/s) of `bytes` moved in `ms`; 0 when either is unknown.
double effective_gbs(double bytes, double ms) {
  return bytes > 0 && ms > 0 ? bytes / (ms / 1e3) / 1e9 : 0;
}

void print_row(const Row& r, const Ceilings& c) {
  const double s = r.ms / 1e3;
  const std::string time = r.ms < 0.1 ? std::to_string(int(r.ms * 1e3 + 0.5)) + " µs"
                                      : std::to_string(r.ms).substr(0, 6) + " ms";
  const double gbs = effective_gbs(r.bytes, r.ms);
  char gbs_text[32] = "–", peak_share[32] = "–", copy_share[32] = "–";
  if (gbs > 0) {
    std::snprintf(gbs_text, sizeof gbs_text, "%.0f", gbs);
    if (c.peak_gbs > 0)
      std::snprintf(peak_share, sizeof peak_share, "%.0f%%", 100 * gbs / c.peak_gbs);
    if (c.copy_gbs > 0)
      std::snprintf(copy_share, sizeof copy_share, "%.0f%%", 100 * gbs / c.copy_gbs);
  }
  std::printf("| %s | %s | %s | %s | %.0f | %s | %s | %s | %.2f× |\n", r.graph.c_str(),
              r.op.c_str(), r.impl.c_str(), time.c_str(), r.flops / s / 1e9, gbs_text, peak_share,
              copy_share, r.ms / r.ours_ms);
  std::fflush(stdout);
  nlohmann::json row = {{"graph", r.graph},
                        {"width", r.width},
                        {"operation", r.op},
                        {"implementation", r.impl},
                        {"ms", r.ms},
                        {"gflops", r.flops / s / 1e9},
                        {"time_over_gnnx", r.ms / r.ours_ms}};
  if (gbs > 0) {
    row["effective_gbs"] = gbs;
    if (c.peak_gbs > 0) row["of_peak"] = gbs / c.peak_gbs;
    if (c.copy_gbs > 0) row["of_copy"] = gbs / c.copy_gbs;
  }
  g_results["rows"].push_back(row);
}

/// A row that could not be measured (a baseline that did not run), with the reason.
void print_missing(const std::string& graph, int64_t width, const std::string& op,
                   const std::string& impl, const std::string& why) {
  std::printf("| %s | %s | %s | not measured: %s | | | | | |\n", graph.c_str(), op.c_str(),
              impl.c_str(), why.c_str());
  g_results["rows"].push_back({{"graph", graph},
                               {"width", width},
                               {"operation", op},
                               {"implementation", impl},
                               {"not_measured", why}});
}

/// Largest |a - b| over all entries, relative to the largest |b| (0 for b all zero).
double max_relative_difference(const torch::Tensor& a, const torch::Tensor& b) {
  const double scale = b.abs().max().item<double>();
  const double diff = (a - b).abs().max().item<double>();
  return scale > 0 ? diff / scale : diff;
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

/// Cached cuSPARSE SpMM y = A x over every algorithm that takes the row-major operand; the
/// fastest one's row is printed, the others go to --json only. nullopt when none ran.
struct CachedTiming {
  double ms = 0;
  std::string alg;
};
std::optional<CachedTiming> time_cached_spmm(const gnnx::bench::CusparseHandle& handle,
                                             const gnnx::bench::DeviceCsr& a,
                                             const torch::Tensor& x, torch::Tensor& y,
                                             const Row& like, const Options& o, const Ceilings& c,
                                             std::string& why_not) {
  std::optional<CachedTiming> best;
  nlohmann::json algorithms = nlohmann::json::object();
  for (const auto& alg : gnnx::bench::kSpmmAlgorithms) {
    try {
      gnnx::bench::CachedSpmm spmm(handle, a, x.data_ptr<float>(), y.data_ptr<float>(), x.size(1),
                                   alg.alg);
      const double ms = time_ms([&] { spmm.run(); }, o.iters);
      algorithms[alg.name] = {{"ms", ms}, {"buffer_bytes", spmm.buffer_bytes()}};
      if (!best || ms < best->ms) best = CachedTiming{ms, alg.name};
    } catch (const gnnx::bench::CusparseError& e) {
      algorithms[alg.name] = {{"not_run", e.what()}};
      why_not = e.what();
    }
  }
  if (best) {
    Row r = like;
    r.impl = "cuSPARSE cached (" + best->alg + ", fastest of " +
             std::to_string(std::size(gnnx::bench::kSpmmAlgorithms)) + " algorithms)";
    r.ms = best->ms;
    print_row(r, c);
    g_results["rows"].back()["cusparse_algorithms"] = algorithms;
    // The fastest algorithm's product is left in y, for the correctness check.
    for (const auto& alg : gnnx::bench::kSpmmAlgorithms) {
      if (best->alg != alg.name) continue;
      gnnx::bench::CachedSpmm spmm(handle, a, x.data_ptr<float>(), y.data_ptr<float>(), x.size(1),
                                   alg.alg);
      spmm.run();
    }
  }
  return best;
}

/// One graph at one width: SpMM forward, backward and both against cached cuSPARSE and
/// torch::sparse; at o.width also the GCN layer rows and PyG.
void bench_graph(const std::string& graph_name, const GcnAdjacency& adj, int64_t width,
                 const Options& o, const Ceilings& c) {
  const std::string name = graph_name + ", F=" + std::to_string(width);
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

  // A (rows = targets) and Aᵀ with int32 indices like ours, for both cuSPARSE baselines.
  const auto& fwd = pattern.forward;
  const auto& tr = pattern.transposed;
  const auto int32 = [](const torch::Tensor& t) { return t.to(torch::kInt).contiguous(); };
  const auto rowptr = int32(fwd.rowptr), col = int32(fwd.col);
  const auto rowptr_t = int32(tr.rowptr), col_t = int32(tr.col);
  const auto values_t = values.index_select(0, pattern.perm_t).contiguous();
  const auto a = torch::sparse_csr_tensor(rowptr, col, values, {n, n}, opts);
  const auto a_t = torch::sparse_csr_tensor(rowptr_t, col_t, values_t, {n, n}, opts);
  const gnnx::bench::CusparseHandle handle;
  const gnnx::bench::DeviceCsr csr{
      n, n, nnz, rowptr.data_ptr<int32_t>(), col.data_ptr<int32_t>(), values.data_ptr<float>()};
  const gnnx::bench::DeviceCsr csr_t{n,
                                     n,
                                     nnz,
                                     rowptr_t.data_ptr<int32_t>(),
                                     col_t.data_ptr<int32_t>(),
                                     values_t.data_ptr<float>()};

  torch::NoGradGuard no_grad;
  nlohmann::json summary = {{"graph", graph_name}, {"nodes", n}, {"edges", nnz}, {"width", width}};
  // Forward: ours computes diag ⊙ x + A x; cuSPARSE A x alone (less work: conservative).
  Row fwd_ours{name, "SpMM forward", "gnnx CUDA"};
  fwd_ours.width = width;
  fwd_ours.ms = time_ms([&] { detail::spmm_cuda(fwd, values, diag, x); }, o.iters);
  fwd_ours.flops = 2 * E * F + 2 * N * F;
  fwd_ours.bytes = 2 * N * F * 4 + E * 8 + N * 8;  // x, out; col + value; rowptr
  fwd_ours.ours_ms = fwd_ours.ms;
  print_row(fwd_ours, c);
  // Narrower feature tiles per pass (see cuda::spmm): fewer bytes per gathered row, more rows
  // in L2, at the price of reading the CSR once per tile.
  for (const int64_t tile : {64, 32}) {
    if (tile >= width) continue;
    Row tiled = fwd_ours;
    tiled.impl = "gnnx CUDA, " + std::to_string(tile) + "-feature tiles";
    tiled.ms = time_ms([&] { detail::spmm_cuda(fwd, values, diag, x, tile); }, o.iters);
    print_row(tiled, c);
  }
  Row fwd_cusparse = fwd_ours;
  fwd_cusparse.impl = "cuSPARSE (torch CSR mm, A x only)";
  fwd_cusparse.ms = time_ms([&] { torch::mm(a, x); }, o.iters);
  print_row(fwd_cusparse, c);
  auto y_cached = torch::empty({n, width}, opts);
  std::string why_not;
  const auto fwd_cached = time_cached_spmm(handle, csr, x, y_cached, fwd_ours, o, c, why_not);
  nlohmann::json forward = {
      {"gnnx_ms", fwd_ours.ms},
      {"gnnx_gbs", effective_gbs(fwd_ours.bytes, fwd_ours.ms)},
      {"gnnx_of_copy", effective_gbs(fwd_ours.bytes, fwd_ours.ms) / std::max(c.copy_gbs, 1e-9)},
      {"bytes", fwd_ours.bytes}};
  if (fwd_cached) {
    forward["cusparse_cached_ms"] = fwd_cached->ms;
    forward["cusparse_algorithm"] = fwd_cached->alg;
    forward["speedup"] = fwd_cached->ms / fwd_ours.ms;
    forward["cusparse_gbs"] = effective_gbs(fwd_ours.bytes, fwd_cached->ms);
    // cuSPARSE's A x against ours minus the diagonal term: the baseline computes the same thing.
    const auto ours = detail::spmm_cuda(fwd, values, diag, x) - diag.unsqueeze(1) * x;
    summary["check"]["spmm_max_relative_difference"] = max_relative_difference(y_cached, ours);
  } else {
    print_missing(name, width, "SpMM forward", "cuSPARSE cached", why_not);
  }

  // Backward: feature gradient and edge-value gradient.
  Row bwd_ours{name, "SpMM backward (dx + dvalues)", "gnnx CUDA (fused)"};
  bwd_ours.width = width;
  bwd_ours.ms = time_ms(
      [&] { detail::spmm_cuda_backward(tr, pattern.perm_t, values, diag, x, g, true, true); },
      o.iters);
  bwd_ours.flops = 4 * E * F + 2 * N * F;
  bwd_ours.bytes = 3 * N * F * 4 + E * (4 + 4 + 8 + 4) + N * 8;  // g, x, dx; col, v, perm, dv
  bwd_ours.ours_ms = bwd_ours.ms;
  print_row(bwd_ours, c);
  Row bwd_cusparse = bwd_ours;
  bwd_cusparse.impl = "cuSPARSE (torch Aᵀ g mm + sampled_addmm)";
  const auto pattern_csr =
      torch::sparse_csr_tensor(rowptr, col, torch::ones({nnz}, opts), {n, n}, opts);
  bwd_cusparse.ms = time_ms(
      [&] {
        torch::mm(a_t, g);
        at::sparse_sampled_addmm(pattern_csr, g, x.t(), /*beta=*/0, /*alpha=*/1);
      },
      o.iters);
  print_row(bwd_cusparse, c);
  nlohmann::json backward = {
      {"gnnx_ms", bwd_ours.ms},
      {"gnnx_gbs", effective_gbs(bwd_ours.bytes, bwd_ours.ms)},
      {"gnnx_of_copy", effective_gbs(bwd_ours.bytes, bwd_ours.ms) / std::max(c.copy_gbs, 1e-9)},
      {"bytes", bwd_ours.bytes},
      {"backward_over_forward", bwd_ours.ms / fwd_ours.ms}};
  // Cached: Aᵀ g (SpMM on the explicit transpose: faster than cuSPARSE's opA = transpose) and
  // the SDDMM on A's pattern; each with descriptors and buffers made once.
  auto dx_cached = torch::empty({n, width}, opts);
  auto dv_cached = torch::empty({nnz}, opts);
  Row bwd_spmm_only = bwd_ours;  // time / gnnx: against our whole fused backward
  bwd_spmm_only.op = "SpMM backward, Aᵀ g only";
  bwd_spmm_only.flops = 2 * E * F;
  bwd_spmm_only.bytes = 2 * N * F * 4 + E * 8 + N * 8;  // g, dx; col + value; rowptr
  const auto bwd_spmm = time_cached_spmm(handle, csr_t, g, dx_cached, bwd_spmm_only, o, c, why_not);
  std::optional<gnnx::bench::CachedSddmm> sddmm;
  try {
    gnnx::bench::DeviceCsr out = csr;
    out.values = dv_cached.data_ptr<float>();
    sddmm.emplace(handle, out, g.data_ptr<float>(), x.data_ptr<float>(), width);
  } catch (const gnnx::bench::CusparseError& e) {
    why_not = e.what();
  }
  std::optional<gnnx::bench::CachedSpmm> spmm_fwd, spmm_bwd;
  const auto alg_named = [](const std::string& alg_name) {
    for (const auto& alg : gnnx::bench::kSpmmAlgorithms)
      if (alg_name == alg.name) return alg.alg;
    return CUSPARSE_SPMM_ALG_DEFAULT;
  };
  if (fwd_cached && bwd_spmm && sddmm) {
    spmm_fwd.emplace(handle, csr, x.data_ptr<float>(), y_cached.data_ptr<float>(), width,
                     alg_named(fwd_cached->alg));
    spmm_bwd.emplace(handle, csr_t, g.data_ptr<float>(), dx_cached.data_ptr<float>(), width,
                     alg_named(bwd_spmm->alg));
    Row sddmm_row = bwd_ours;
    sddmm_row.op = "SDDMM (dvalues) only";
    sddmm_row.impl = "cuSPARSE cached";
    sddmm_row.flops = 2 * E * F;
    sddmm_row.bytes = 2 * N * F * 4 + E * 8 + N * 8;  // g, x; col + dvalue; rowptr
    sddmm_row.ms = time_ms([&] { sddmm->run(); }, o.iters);
    print_row(sddmm_row, c);
    Row bwd_cached = bwd_ours;
    bwd_cached.impl = "cuSPARSE cached (Aᵀ g SpMM + SDDMM)";
    bwd_cached.ms = time_ms(
        [&] {
          spmm_bwd->run();
          sddmm->run();
        },
        o.iters);
    print_row(bwd_cached, c);
    backward["cusparse_cached_ms"] = bwd_cached.ms;
    backward["cusparse_spmm_ms"] = bwd_spmm->ms;
    backward["cusparse_sddmm_ms"] = sddmm_row.ms;
    backward["cusparse_sddmm_layout"] = sddmm->layout();
    backward["speedup"] = bwd_cached.ms / bwd_ours.ms;
    const auto ours =
        detail::spmm_cuda_backward(tr, pattern.perm_t, values, diag, x, g, true, true);
    summary["check"]["sddmm_max_relative_difference"] =
        max_relative_difference(dv_cached, ours.values);
    summary["check"]["transposed_spmm_max_relative_difference"] =
        max_relative_difference(dx_cached, ours.x - diag.unsqueeze(1) * g);
  } else {
    print_missing(name, width, "SpMM backward", "cuSPARSE cached", why_not);
  }
  std::printf("| %s | backward / forward | gnnx CUDA | %.2f× | | | | | |\n", name.c_str(),
              bwd_ours.ms / fwd_ours.ms);

  // Forward + backward, each timed as one sequence.
  Row both_ours{name, "SpMM forward + backward", "gnnx CUDA"};
  both_ours.width = width;
  both_ours.ms = time_ms(
      [&] {
        detail::spmm_cuda(fwd, values, diag, x);
        detail::spmm_cuda_backward(tr, pattern.perm_t, values, diag, x, g, true, true);
      },
      o.iters);
  both_ours.flops = fwd_ours.flops + bwd_ours.flops;
  both_ours.bytes = fwd_ours.bytes + bwd_ours.bytes;
  both_ours.ours_ms = both_ours.ms;
  print_row(both_ours, c);
  nlohmann::json both = {
      {"gnnx_ms", both_ours.ms},
      {"gnnx_gbs", effective_gbs(both_ours.bytes, both_ours.ms)},
      {"gnnx_of_copy", effective_gbs(both_ours.bytes, both_ours.ms) / std::max(c.copy_gbs, 1e-9)},
      {"bytes", both_ours.bytes}};
  if (spmm_fwd && spmm_bwd && sddmm) {
    Row both_cached = both_ours;
    both_cached.impl = "cuSPARSE cached (SpMM + Aᵀ g SpMM + SDDMM)";
    both_cached.ms = time_ms(
        [&] {
          spmm_fwd->run();
          spmm_bwd->run();
          sddmm->run();
        },
        o.iters);
    print_row(both_cached, c);
    both["cusparse_cached_ms"] = both_cached.ms;
    both["speedup"] = both_cached.ms / both_ours.ms;
  }
  spmm_fwd.reset();
  spmm_bwd.reset();
  sddmm.reset();
  summary["forward"] = forward;
  summary["backward"] = backward;
  summary["forward_backward"] = both;
  // Issue 22's targets; null where the baseline did not run.
  const auto at_least = [](const nlohmann::json& j, const char* key, double bound) {
    return j.contains(key) ? nlohmann::json(j[key].get<double>() >= bound) : nlohmann::json();
  };
  summary["targets"] = {
      {"forward_speedup_at_least_1_3", at_least(forward, "speedup", 1.3)},
      {"backward_over_forward_at_most_1_3", backward["backward_over_forward"].get<double>() <= 1.3},
      {"forward_backward_speedup_at_least_3", at_least(both, "speedup", 3.0)}};
  g_results["summary"].push_back(summary);
  c10::cuda::CUDACachingAllocator::emptyCache();
  if (width != o.width) return;

  // A whole layer, forward + backward with edge weights needing gradients (PyG's semantics:
  // the weight enters the degree), against PyG's GCNConv on the same graph.
  torch::AutoGradMode grad_mode(true);
  gnnx::gnn::GCNConv conv(gnnx::gnn::GCNConvOptions(width, width)
                              .edge_weight_mode(gnnx::gnn::EdgeWeightMode::kAdjacency));
  conv->to(kGpu);
  const auto w = torch::rand({nnz}, opts).requires_grad_(true);
  Row layer{name, "GCN layer fwd+bwd, F→F, edge_weight grad", "gnnx CUDA"};
  layer.width = width;
  layer.ms = time_ms(
      [&] {
        auto out = conv->forward(x, adj, w);
        out.backward(g);
      },
      o.iters);
  layer.flops = 4 * N * F * F + 6 * E * F;
  layer.ours_ms = layer.ms;
  print_row(layer, c);
  Row layer_fwd{name, "GCN layer forward", "gnnx CUDA"};
  layer_fwd.width = width;
  {
    torch::NoGradGuard inference;
    layer_fwd.ms = time_ms([&] { conv->forward(x, adj, w); }, o.iters);
  }
  layer_fwd.flops = 2 * N * F * F + 2 * E * F;
  layer_fwd.ours_ms = layer_fwd.ms;
  print_row(layer_fwd, c);
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
    print_row(eager, c);
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
    print_row(replay, c);
  }
  c10::cuda::CUDACachingAllocator::emptyCache();
  if (nnz > o.pyg_max_edges) {
    print_missing(name, width, "GCN layer", "PyG GCNConv",
                  "over --pyg-max-edges " + std::to_string(o.pyg_max_edges));
    return;
  }
  if (const auto pyg = run_pyg(o, adj, width, why_not)) {
    Row p = layer;
    p.impl = "PyG " + pyg->value("version", std::string("?")) + " GCNConv";
    p.ms = (*pyg)["fwd_bwd_ms"].get<double>();
    print_row(p, c);
    Row pf = layer_fwd;
    pf.impl = p.impl;
    pf.ms = (*pyg)["fwd_ms"].get<double>();
    print_row(pf, c);
  } else {
    print_missing(name, width, "GCN layer", "PyG GCNConv", why_not);
  }
}

std::vector<int64_t> parse_widths(const std::string& text) {
  std::vector<int64_t> widths;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    size_t used = 0;
    int64_t w = -1;
    try {
      w = std::stoll(item, &used);
    } catch (const std::exception&) {
    }
    if (used != item.size() || w < 1) {
      std::fprintf(stderr, "gcn_cuda_bench: --widths takes positive integers, got '%s'\n",
                   text.c_str());
      std::exit(2);
    }
    widths.push_back(w);
  }
  return widths;
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
    else if (a == "--widths")
      o.widths = parse_widths(next());
    else if (a == "--iters")
      o.iters = std::stoll(next());
    else if (a == "--seed")
      o.seed = std::stoull(next());
    else if (a == "--no-pyg")
      o.pyg = false;
    else if (a == "--pyg-script")
      o.pyg_script = next();
    else if (a == "--pyg-max-edges")
      o.pyg_max_edges = std::stoll(next());
    else if (a == "--json")
      o.json_path = next();
    else {
      std::fprintf(stderr, "gcn_cuda_bench: unknown flag %s\n", a.c_str());
      std::exit(2);
    }
  }
  if (o.widths.empty()) o.widths = {o.width};
  return o;
}

void write_json(const Options& o) {
  if (o.json_path.empty()) return;
  std::ofstream out(o.json_path);
  out << g_results.dump(2) << "\n";
  if (!out) throw std::runtime_error("cannot write " + o.json_path);
}

/// The power-law graph of `nodes` / `edges` at every width.
void bench_power_law(int64_t nodes, int64_t edges, const Options& o, const Ceilings& c) {
  const GcnAdjacency adj(power_law_graph(nodes, edges, o.seed));
  const std::string name =
      "power law (" + std::to_string(nodes) + " nodes, " + std::to_string(edges) + " edges)";
  for (const int64_t width : o.widths) bench_graph(name, adj, width, o, c);
  // The layer and PyG rows run at --width; when it is not among --widths, there too.
  if (std::find(o.widths.begin(), o.widths.end(), o.width) == o.widths.end())
    bench_graph(name, adj, o.width, o, c);
}

int run(int argc, char** argv) {
  const Options o = parse(argc, argv);
  if (!torch::cuda::is_available()) {
    std::fprintf(stderr, "gcn_cuda_bench: no CUDA device present\n");
    return 2;
  }
  cudaDeviceProp prop{};
  cudaGetDeviceProperties(&prop, 0);
  Ceilings c;
  c.peak_gbs = peak_bandwidth_gbs();
  c.copy_gbs = gnnx::bench::copy_bandwidth_gbs(size_t(1) << 30, 20);
  std::printf("device: %s, %d SMs, %.0f MB L2\n", prop.name, prop.multiProcessorCount,
              prop.l2CacheSize / 1e6);
  g_results["device"] = {{"name", prop.name},
                         {"multiprocessors", prop.multiProcessorCount},
                         {"l2_bytes", prop.l2CacheSize},
                         {"peak_gbs_from_clock", c.peak_gbs}};
  g_results["copy_gbs"] = c.copy_gbs;
  g_results["copy_note"] = "cudaMemcpyAsync device to device of 1 GiB, bytes read + written";
  g_results["iters"] = o.iters;
  print_header(c);
  const auto ba = gnnx::datasets::make_synthetic("ba-shapes", o.seed);
  {
    const GcnAdjacency adj(ba.graphs.at(0));
    Options ba_options = o;
    ba_options.width = 20;
    bench_graph("BA-Shapes (700 nodes, 4110 edges)", adj, 20, ba_options, c);
  }
  write_json(o);  // after each graph: a run cut short still leaves what it measured
  // A tenth of the size, where PyG's per-edge message tensors still fit in GPU memory.
  bench_power_law(o.nodes / 10, o.edges / 10, o, c);
  write_json(o);
  bench_power_law(o.nodes, o.edges, o, c);
  write_json(o);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return gnnx::bench::guarded_main("gcn_cuda_bench", argc, argv, run);
}
