// Explainers on the GPU against one CPU core, in one run (issue 22, item 3):
//   1. GNNExplainer on all 700 BA-Shapes nodes (a model trained here, seeded; the registry's
//      default options: 100 epochs);
//   2. GNNExplainer and saliency on 10,000 target nodes of the 240k-node / 6.2M-edge power-law
//      graph (gcn_cuda_bench's generator and seed: the same graph) with 3-hop computation
//      subgraphs, a 3-layer GCN node classifier (width 20, concatenation head) with random
//      weights over 16 random features (the cost is set by the subgraphs, not by the weights).
// Each cell is measured with the model on cuda:0 and on the CPU with one thread (LibTorch's and
// gnnx's workers), the same targets in the same order; the ratio is CPU seconds per target over
// GPU seconds per target.
//
// The 3-hop computation subgraph of a node of this graph holds most of it (its hubs have ~10^5
// in-edges: about 200k nodes and 5.8M edges per target), so the 10,000 targets' subgraphs, which
// an explainer explains as a disjoint union (TargetBatch), add up to ~6·10^10 edges: no device
// holds them, nor explains them in a benchmark's time. Their size is reported (the nodes within
// 3 hops of any target and the edges among them, exactly; the disjoint union's total from a
// sample of targets), and each cell explains the targets in batches (--batch-gpu, --batch-cpu)
// until its time budget (--seconds) is spent, at least one batch, and reports the targets done,
// seconds per target and the projected seconds for all. Peak GPU memory is the CUDA caching
// allocator's peak of allocated bytes over the cell; peak host memory is the process's maximum
// resident set so far (getrusage: it never goes down, so a later cell reports at least an
// earlier one's).
//
// The defaults keep the whole run near 100 s (the GPU check gives it 150 s).
//
//   explainer_gpu_bench [--json FILE] [--seconds S] [--targets N] [--hops K] [--nodes N]
//                       [--edges E] [--big-epochs N] [--batch-gpu N] [--batch-cpu N]
//                       [--saliency-batch-gpu N] [--shapes-cpu-seconds S] [--seed S]
//
// Without a LibTorch with CUDA or without a GPU it says so and exits 2.

#include "guarded_main.h"

#include <ATen/Parallel.h>
#include <gnnx/datasets/synthetic.h>
#include <gnnx/explainers/explainer.h>
#include <gnnx/gnn/device.h>
#include <gnnx/gnn/models.h>
#include <gnnx/gnn/subgraph.h>
#include <gnnx/gnn/threads.h>
#include <gnnx/gnn/training.h>
#include <gnnx/io/tensor_vector.h>
#include <sys/resource.h>
#include <torch/cuda.h>
#include <nlohmann/json.hpp>

#if GNNX_CUDA_GLUE
#include <c10/cuda/CUDACachingAllocator.h>
#include <cuda_runtime_api.h>
#endif

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace {

namespace ex = gnnx::explainers;
namespace gnn = gnnx::gnn;
using json = nlohmann::ordered_json;

const torch::Device kGpu(torch::kCUDA, 0);

struct Options {
  std::string json_path;
  double seconds = 10;  // budget of each power-law cell (at least one batch runs)
  double shapes_cpu_seconds = 15;
  int64_t targets = 10000, hops = 3, nodes = 240000, edges = 6200000;
  int64_t big_epochs = 10;  // GNNExplainer's epochs on the power-law graph (100 on BA-Shapes)
  int64_t batch_gpu = 1, batch_cpu = 1, saliency_batch_gpu = 4;
  int64_t sample = 4;  // targets whose subgraph sizes estimate the disjoint union's
  uint64_t seed = 0;
};

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void reset_gpu_peak() {
#if GNNX_CUDA_GLUE
  c10::cuda::CUDACachingAllocator::resetPeakStats(0);
#endif
}

double gpu_peak_gib() {
#if GNNX_CUDA_GLUE
  const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(0);
  return static_cast<double>(stats.allocated_bytes[0].peak) / (1 << 30);  // [0]: AGGREGATE
#else
  return NAN;
#endif
}

double host_peak_gib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) * 1024 / (1 << 30);  // ru_maxrss is in KiB
}

std::string device_name() {
#if GNNX_CUDA_GLUE
  cudaDeviceProp prop{};
  if (cudaGetDeviceProperties(&prop, 0) == cudaSuccess) return prop.name;
#endif
  return "cuda:0";
}

/// gcn_cuda_bench's power-law graph, the same calls on the same device (so the same graph):
/// endpoints u^3 · N, node ids shuffled.
gnn::Graph power_law_graph(int64_t nodes, int64_t edges, uint64_t seed, int64_t features) {
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
      torch::stack({relabel.index_select(0, src), relabel.index_select(0, dst)}).cpu();
  return gnn::Graph(nodes, edge_index, torch::randn({nodes, features}));
}

/// Nodes within `hops` hops into any of `targets` (messages flow source -> target), and the
/// edges among them (every edge of every target's computation subgraph is one of them).
std::pair<int64_t, int64_t> union_size(const gnn::Graph& g, const std::vector<int64_t>& targets,
                                       int64_t hops) {
  const auto src = g.edge_index()[0];
  const auto dst = g.edge_index()[1];
  auto in = torch::zeros({g.num_nodes()}, torch::kBool);
  in.index_fill_(0, torch::tensor(targets, torch::kLong), true);
  for (int64_t h = 0; h < hops; ++h) {
    in = in.index_fill(0, src.masked_select(in.index_select(0, dst)), true);
  }
  const auto both = in.index_select(0, src).logical_and(in.index_select(0, dst));
  return {in.sum().item<int64_t>(), both.sum().item<int64_t>()};
}

struct Cell {
  std::string method, device;
  int64_t targets = 0;      // explained in the cell
  int64_t all_targets = 0;  // asked for
  double seconds = 0;
  double gpu_peak_gib = NAN;
  double host_peak_gib = 0;
  double per_target() const { return targets > 0 ? seconds / double(targets) : NAN; }
};

/// Explains `ids` in batches of `batch` until `budget` seconds have passed (at least one batch)
/// with the model on `device` (the CPU: one thread), and measures it.
Cell run_cell(const std::string& method, const ex::MethodOptions& options, gnn::GnnModel& model,
              const gnn::Graph& graph, const std::vector<int64_t>& ids, int64_t batch,
              double budget, torch::Device device) {
  Cell c;
  c.method = method;
  c.device = device.is_cpu() ? "cpu (1 thread)" : device_name();
  c.all_targets = static_cast<int64_t>(ids.size());
  const int threads = at::get_num_threads();
  if (device.is_cpu()) {
    at::set_num_threads(1);
    gnn::set_worker_threads(1);
  }
  model.to(device);
  if (!device.is_cpu()) {
    torch::cuda::synchronize();
    reset_gpu_peak();
  }
  const auto explainer = ex::make_explainer(method, options);
  const double start = now_s();
  for (size_t b = 0; b < ids.size(); b += static_cast<size_t>(batch)) {
    const std::vector<int64_t> part(ids.begin() + b,
                                    ids.begin() + std::min(ids.size(), b + size_t(batch)));
    const auto explanations = explainer->explain_nodes(model, graph, part);
    c.targets += static_cast<int64_t>(explanations.size());
    if (now_s() - start > budget) break;
  }
  if (!device.is_cpu()) torch::cuda::synchronize();
  c.seconds = now_s() - start;
  if (!device.is_cpu()) c.gpu_peak_gib = gpu_peak_gib();
  c.host_peak_gib = host_peak_gib();
  model.to(torch::kCPU);
  at::set_num_threads(threads);
  gnn::set_worker_threads(threads);
  std::printf(
      "  %-12s %-22s %6lld of %6lld targets in %8.2f s: %9.4f s/target, projected %9.1f "
      "s for all; peak GPU %.2f GiB, host %.2f GiB\n",
      c.method.c_str(), c.device.c_str(), static_cast<long long>(c.targets),
      static_cast<long long>(c.all_targets), c.seconds, c.per_target(),
      c.per_target() * double(c.all_targets), c.gpu_peak_gib, c.host_peak_gib);
  std::fflush(stdout);
  return c;
}

json cell_json(const Cell& c) {
  json j = {{"method", c.method},
            {"device", c.device},
            {"targets_explained", c.targets},
            {"targets_asked", c.all_targets},
            {"seconds", c.seconds},
            {"seconds_per_target", c.per_target()},
            {"projected_seconds_all", c.per_target() * double(c.all_targets)},
            {"host_peak_gib", c.host_peak_gib}};
  if (!std::isnan(c.gpu_peak_gib)) j["gpu_peak_gib"] = c.gpu_peak_gib;
  return j;
}

json pair_json(const Cell& gpu, const Cell& cpu) {
  const double ratio = cpu.per_target() / gpu.per_target();
  std::printf("  %s: GPU %.2f× one CPU core (seconds per target)\n", gpu.method.c_str(), ratio);
  return {{"method", gpu.method},
          {"gpu", cell_json(gpu)},
          {"cpu", cell_json(cpu)},
          {"cpu_over_gpu", ratio}};
}

/// A seeded order of `ids`, so that any prefix is a sample of all of them.
std::vector<int64_t> shuffled(std::vector<int64_t> ids, uint64_t seed) {
  torch::manual_seed(seed);
  const auto order = torch::randperm(static_cast<int64_t>(ids.size()), torch::kLong);
  std::vector<int64_t> out;
  for (int64_t i : gnnx::io::to_vector<int64_t>(order)) out.push_back(ids[i]);
  return out;
}

json ba_shapes(const Options& o) {
  std::printf("\nBA-Shapes: GNNExplainer (100 epochs) on all 700 nodes\n");
  const auto ds = gnnx::datasets::make_synthetic("ba-shapes", o.seed);
  const gnn::Graph& g = ds.graphs.front();
  gnn::ModelSpec spec;
  spec.task = gnn::Task::kNodeClassification;
  spec.in_features = g.num_features();
  spec.num_classes = ds.num_classes;
  spec.bias_init = 0.1;  // gnnx train's node architecture
  torch::manual_seed(o.seed);
  auto model = gnn::make_model(spec);
  gnn::TrainOptions train;
  train.epochs = 300;
  train.lr = 0.01;
  train.weight_decay = 5e-4;
  const auto trained = gnn::train_node_classifier(*model, g, train);
  std::printf("  model: test accuracy %.3f\n", trained.test_accuracy);
  std::vector<int64_t> all(g.num_nodes());
  for (int64_t i = 0; i < g.num_nodes(); ++i) all[i] = i;
  int64_t union_nodes = 0, union_edges = 0;
  for (int64_t t : all) {
    const auto sub = gnn::k_hop_subgraph(g, torch::tensor({t}, torch::kLong), spec.num_layers);
    union_nodes += sub.graph.num_nodes();
    union_edges += sub.graph.num_edges();
  }
  std::printf("  disjoint union of the 700 computation subgraphs: %lld nodes, %lld edges\n",
              static_cast<long long>(union_nodes), static_cast<long long>(union_edges));
  const ex::MethodOptions options;  // the registry's defaults: 100 epochs
  {
    // Warm-up: the first explanation on the GPU loads kernels and libraries.
    model->to(kGpu);
    ex::make_explainer("gnnexplainer", options)->explain_nodes(*model, g, std::vector<int64_t>{0});
    model->to(torch::kCPU);
  }
  const Cell gpu = run_cell("gnnexplainer", options, *model, g, all, 700, 0, kGpu);
  // One core: batches of 35 in a seeded order until the budget is spent (all 700 take about a
  // minute), so the seconds per target come from a sample of the nodes.
  const Cell cpu = run_cell("gnnexplainer", options, *model, g, shuffled(all, o.seed), 35,
                            o.shapes_cpu_seconds, torch::kCPU);
  json j = {{"graph", "BA-Shapes"},
            {"nodes", g.num_nodes()},
            {"edges", g.num_edges()},
            {"targets", 700},
            {"hops", spec.num_layers},
            {"disjoint_union_nodes", union_nodes},
            {"disjoint_union_edges", union_edges},
            {"model_test_accuracy", trained.test_accuracy}};
  j["cells"] = json::array({pair_json(gpu, cpu)});
  return j;
}

json power_law(const Options& o) {
  std::printf("\npower-law graph: %lld nodes, %lld edges, %lld targets, %lld hops\n",
              static_cast<long long>(o.nodes), static_cast<long long>(o.edges),
              static_cast<long long>(o.targets), static_cast<long long>(o.hops));
  constexpr int64_t kFeatures = 16;
  const gnn::Graph g = power_law_graph(o.nodes, o.edges, o.seed, kFeatures);
  gnn::ModelSpec spec;
  spec.task = gnn::Task::kNodeClassification;
  spec.in_features = kFeatures;
  spec.num_classes = 4;
  spec.num_layers = o.hops;
  torch::manual_seed(o.seed);
  auto model = gnn::make_model(spec);
  model->eval();
  // The targets: distinct nodes in a seeded order.
  torch::manual_seed(o.seed + 1);
  const auto picked =
      torch::randperm(o.nodes, torch::kLong).slice(0, 0, std::min(o.targets, o.nodes));
  const std::vector<int64_t> targets = gnnx::io::to_vector<int64_t>(picked);
  const auto [nodes_in, edges_in] = union_size(g, targets, o.hops);
  int64_t sample_nodes = 0, sample_edges = 0;
  const int64_t sample = std::min<int64_t>(o.sample, static_cast<int64_t>(targets.size()));
  for (int64_t i = 0; i < sample; ++i) {
    const auto sub = gnn::k_hop_subgraph(g, torch::tensor({targets[i]}, torch::kLong), o.hops);
    sample_nodes += sub.graph.num_nodes();
    sample_edges += sub.graph.num_edges();
  }
  const double per_node = double(sample_nodes) / double(sample);
  const double per_edge = double(sample_edges) / double(sample);
  const double all = double(targets.size());
  std::printf(
      "  union of the %lld computation subgraphs: %lld distinct nodes, %lld edges among them\n"
      "  one subgraph (mean of %lld): %.0f nodes, %.0f edges; the disjoint union of all: about "
      "%.3g nodes, %.3g edges\n",
      static_cast<long long>(targets.size()), static_cast<long long>(nodes_in),
      static_cast<long long>(edges_in), static_cast<long long>(sample), per_node, per_edge,
      per_node * all, per_edge * all);

  ex::MethodOptions gnnexplainer;
  gnnexplainer.epochs = o.big_epochs;
  const ex::MethodOptions saliency;
  json cells = json::array();
  {
    const Cell gpu =
        run_cell("gnnexplainer", gnnexplainer, *model, g, targets, o.batch_gpu, o.seconds, kGpu);
    const Cell cpu = run_cell("gnnexplainer", gnnexplainer, *model, g, targets, o.batch_cpu,
                              o.seconds, torch::kCPU);
    cells.push_back(pair_json(gpu, cpu));
  }
  {
    const Cell gpu =
        run_cell("saliency", saliency, *model, g, targets, o.saliency_batch_gpu, o.seconds, kGpu);
    const Cell cpu =
        run_cell("saliency", saliency, *model, g, targets, o.batch_cpu, o.seconds, torch::kCPU);
    cells.push_back(pair_json(gpu, cpu));
  }
  json j = {{"graph", "power law (gcn_cuda_bench's generator)"},
            {"nodes", o.nodes},
            {"edges", o.edges},
            {"targets", static_cast<int64_t>(targets.size())},
            {"hops", o.hops},
            {"gnnexplainer_epochs", o.big_epochs},
            {"union_distinct_nodes", nodes_in},
            {"union_edges_among_them", edges_in},
            {"subgraph_sample", sample},
            {"subgraph_mean_nodes", per_node},
            {"subgraph_mean_edges", per_edge},
            {"disjoint_union_nodes_estimate", per_node * all},
            {"disjoint_union_edges_estimate", per_edge * all}};
  j["cells"] = cells;
  return j;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "explainer_gpu_bench: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--json")
      o.json_path = next();
    else if (a == "--seconds")
      o.seconds = std::stod(next());
    else if (a == "--shapes-cpu-seconds")
      o.shapes_cpu_seconds = std::stod(next());
    else if (a == "--targets")
      o.targets = std::stoll(next());
    else if (a == "--hops")
      o.hops = std::stoll(next());
    else if (a == "--nodes")
      o.nodes = std::stoll(next());
    else if (a == "--edges")
      o.edges = std::stoll(next());
    else if (a == "--big-epochs")
      o.big_epochs = std::stoll(next());
    else if (a == "--batch-gpu")
      o.batch_gpu = std::stoll(next());
    else if (a == "--batch-cpu")
      o.batch_cpu = std::stoll(next());
    else if (a == "--saliency-batch-gpu")
      o.saliency_batch_gpu = std::stoll(next());
    else if (a == "--seed")
      o.seed = std::stoull(next());
    else {
      std::fprintf(stderr, "explainer_gpu_bench: unknown flag %s\n", a.c_str());
      std::exit(2);
    }
  }
  if (o.targets < 1 || o.hops < 1 || o.nodes < 1 || o.edges < 1 || o.big_epochs < 1 ||
      o.batch_gpu < 1 || o.batch_cpu < 1 || o.saliency_batch_gpu < 1 || !(o.seconds >= 0)) {
    std::fprintf(stderr, "explainer_gpu_bench: counts must be >= 1 and --seconds >= 0\n");
    std::exit(2);
  }
  return o;
}

int run(int argc, char** argv) {
  const Options o = parse(argc, argv);
  if (!gnn::cuda_built()) {
    std::fprintf(stderr,
                 "explainer_gpu_bench: this gnnx was built without CUDA (it needs the CUDA "
                 "toolkit and a LibTorch with CUDA); nothing measured\n");
    return 2;
  }
  if (gnn::cuda_device_count() == 0 || !torch::cuda::is_available()) {
    std::fprintf(stderr, "explainer_gpu_bench: no CUDA device present; nothing measured\n");
    return 2;
  }
  std::printf("device: %s; CPU cells on 1 thread\n", device_name().c_str());
  torch::ones({1}, kGpu);  // CUDA context before any timing
  json out = {{"device", device_name()}, {"cpu_threads", 1}};
  out["ba_shapes"] = ba_shapes(o);
  out["power_law"] = power_law(o);
  if (!o.json_path.empty()) {
    std::ofstream f(o.json_path);
    f << out.dump(2) << "\n";
    if (!f) {
      std::fprintf(stderr, "explainer_gpu_bench: cannot write %s\n", o.json_path.c_str());
      return 2;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return gnnx::bench::guarded_main("explainer_gpu_bench", argc, argv, run);
}
