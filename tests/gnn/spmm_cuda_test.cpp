// The CUDA kernels against the CPU path: forward, all three gradients, run-to-run identity,
// hubs, empty rows, odd widths and 64-bit offsets. Skipped (with a message) without a GPU.

#include <gnnx/gnn/device.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/gcn_adjacency.h>
#include <gnnx/gnn/gcn_conv.h>
#include <gnnx/gnn/models.h>

#include <gtest/gtest.h>

#include <torch/autograd.h>

#include <limits>

using namespace gnnx::gnn;

namespace {

#define SKIP_WITHOUT_GPU()                                                  \
  do {                                                                      \
    if (!cuda_built()) GTEST_SKIP() << "this gnnx was built without CUDA";  \
    if (cuda_device_count() == 0) GTEST_SKIP() << "no CUDA device present"; \
  } while (0)

const torch::Device kGpu(torch::kCUDA, 0);

/// A random multigraph: `edges` uniform edges among the first `active` nodes (the rest have empty
/// rows), plus `hub_in` edges into node 0 from distinct sources.
Graph random_multigraph(int64_t nodes, int64_t active, int64_t edges, int64_t hub_in,
                        uint64_t seed) {
  torch::manual_seed(seed);
  auto src = torch::randint(active, {edges}, torch::kLong);
  auto dst = torch::randint(active, {edges}, torch::kLong);
  if (hub_in > 0) {
    src = torch::cat({src, torch::arange(1, hub_in + 1, torch::kLong)});
    dst = torch::cat({dst, torch::zeros({hub_in}, torch::kLong)});
  }
  // Shuffled so that edge ids are not in CSR order.
  const auto order = torch::randperm(src.size(0), torch::kLong);
  return Graph(nodes, torch::stack({src.index_select(0, order), dst.index_select(0, order)}),
               torch::zeros({nodes, 1}));
}

void expect_close(const torch::Tensor& gpu, const torch::Tensor& cpu, const char* what,
                  double rtol = 1e-5) {
  ASSERT_TRUE(gpu.defined() && cpu.defined()) << what;
  const auto g = gpu.cpu().to(torch::kDouble);
  const auto c = cpu.to(torch::kDouble);
  const double scale = c.abs().max().item<double>() + 1e-12;
  const double err = (g - c).abs().max().item<double>();
  EXPECT_LE(err, rtol * scale) << what << ": max error " << err << " against scale " << scale;
}

struct Grads {
  torch::Tensor out, values, diag, x;
};

/// out = csr_spmm(values, diag, x); loss = <out, weights>; all gradients.
Grads run(const GcnAdjacency& adj, torch::Tensor values, torch::Tensor diag, torch::Tensor x,
          const torch::Tensor& weights) {
  values = values.detach().requires_grad_(true);
  diag = diag.detach().requires_grad_(true);
  x = x.detach().requires_grad_(true);
  auto out = csr_spmm(adj, values, diag, x);
  (out * weights).sum().backward();
  return {out.detach(), values.grad(), diag.grad(), x.grad()};
}

void compare_with_cpu(const Graph& graph, int64_t width, torch::Dtype dtype, uint64_t seed) {
  const GcnAdjacency adj(graph);
  torch::manual_seed(seed);
  const auto opts = torch::TensorOptions().dtype(dtype);
  const auto values = torch::rand({adj.num_edges()}, opts);
  const auto diag = torch::rand({adj.num_nodes()}, opts);
  const auto x = torch::randn({adj.num_nodes(), width}, opts);
  const auto weights = torch::randn({adj.num_nodes(), width}, opts);
  const Grads cpu = run(adj, values, diag, x, weights);
  const Grads gpu = run(adj, values.to(kGpu), diag.to(kGpu), x.to(kGpu), weights.to(kGpu));
  SCOPED_TRACE("width " + std::to_string(width) + ", edges " + std::to_string(adj.num_edges()));
  expect_close(gpu.out, cpu.out, "forward");
  expect_close(gpu.x, cpu.x, "feature gradient");
  expect_close(gpu.values, cpu.values, "edge-value gradient");
  expect_close(gpu.diag, cpu.diag, "diagonal gradient");
}

}  // namespace

TEST(CudaDeviceTest, ResolveDeviceNamesTheProblem) {
  EXPECT_EQ(resolve_device("cpu"), torch::Device(torch::kCPU));
  EXPECT_THROW(resolve_device("gpu"), gnnx::InputError);
  EXPECT_THROW(resolve_device("cuda:x"), gnnx::InputError);
  if (!cuda_built() || cuda_device_count() == 0) {
    try {
      resolve_device("cuda");
      FAIL() << "expected an InputError without a usable GPU";
    } catch (const gnnx::InputError& e) {
      const std::string message = e.what();
      EXPECT_TRUE(message.find("without CUDA") != std::string::npos ||
                  message.find("no CUDA device") != std::string::npos)
          << message;
    }
  } else {
    EXPECT_EQ(resolve_device("cuda"), kGpu);
    EXPECT_THROW(resolve_device("cuda:99"), gnnx::InputError);
  }
}

TEST(CudaSpmmTest, MatchesCpuAcrossWidthsAndDtypes) {
  SKIP_WITHOUT_GPU();
  const Graph graph = random_multigraph(3000, 2500, 40000, 0, 1);
  // 1, 3, 5, 33: no vector loads; 20, 64: float4; 130, 257: several feature tiles per lane.
  for (int64_t width : {1, 3, 5, 20, 33, 64, 128, 130, 257}) {
    compare_with_cpu(graph, width, torch::kFloat, 10 + width);
  }
  for (int64_t width : {1, 6, 64, 129}) compare_with_cpu(graph, width, torch::kDouble, 20 + width);
}

TEST(CudaSpmmTest, HubRowOf100kEdgesAndEmptyRows) {
  SKIP_WITHOUT_GPU();
  // Node 0 receives 100k edges (split into segments and reduced in order); nodes 150000.. are
  // isolated (empty rows and columns).
  const Graph graph = random_multigraph(160000, 150000, 300000, 100000, 2);
  for (int64_t width : {16, 7, 130}) compare_with_cpu(graph, width, torch::kFloat, width);
  compare_with_cpu(graph, 8, torch::kDouble, 3);
}

TEST(CudaSpmmTest, BitIdenticalAcrossRuns) {
  SKIP_WITHOUT_GPU();
  const Graph graph = random_multigraph(120000, 120000, 800000, 100000, 3);
  const GcnAdjacency adj(graph);
  torch::manual_seed(4);
  const auto opts = torch::TensorOptions().device(kGpu);
  const auto values = torch::rand({adj.num_edges()}, opts);
  const auto diag = torch::rand({adj.num_nodes()}, opts);
  const auto x = torch::randn({adj.num_nodes(), 48}, opts);
  const auto weights = torch::randn({adj.num_nodes(), 48}, opts);
  const Grads first = run(adj, values, diag, x, weights);
  for (int repeat = 0; repeat < 3; ++repeat) {
    const Grads again = run(adj, values, diag, x, weights);
    EXPECT_TRUE(torch::equal(first.out, again.out));
    EXPECT_TRUE(torch::equal(first.x, again.x));
    EXPECT_TRUE(torch::equal(first.values, again.values));
  }
}

TEST(CudaSpmmTest, OffsetsBeyond32Bits) {
  SKIP_WITHOUT_GPU();
  // N·F > 2^31 with a narrow graph: the last rows' features lie past 2^31 floats.
  const int64_t width = 128;
  const int64_t nodes = std::numeric_limits<int32_t>::max() / width + 1000;
  const int64_t last = nodes - 1;
  const auto edge_index =
      torch::tensor({last - 1, 0L, last, 5L, last, last - 1}, torch::kLong).view({2, 3});
  // Edges: (last-1) -> 5, 0 -> last, last -> last-1  (src row, dst row).
  const Graph graph(nodes, edge_index, torch::zeros({nodes, 1}));
  const GcnAdjacency adj(graph);
  const auto opts = torch::TensorOptions().device(kGpu);
  torch::Tensor x;
  try {
    x = torch::randn({nodes, width}, opts).requires_grad_(true);
  } catch (const c10::Error&) {
    GTEST_SKIP() << "not enough GPU memory for a " << nodes << " x " << width << " matrix";
  }
  auto values = torch::tensor({0.5f, -2.0f, 3.0f}, opts).requires_grad_(true);
  const auto values_csr = values.index_select(0, adj.csr().perm.to(kGpu));
  const auto diag = torch::full({nodes}, 0.25f, opts);
  auto out = csr_spmm(adj, values_csr, diag, x);
  const auto xd = x.detach();
  // By hand, edge by edge.
  expect_close(out[5], (0.25f * xd[5] + 0.5f * xd[last - 1]).cpu(), "row 5");
  expect_close(out[last], (0.25f * xd[last] - 2.0f * xd[0]).cpu(), "row last");
  expect_close(out[last - 1], (0.25f * xd[last - 1] + 3.0f * xd[last]).cpu(), "row last-1");
  const auto g = torch::randn({nodes, width}, opts);
  (out * g).sum().backward();
  expect_close(x.grad()[0], (0.25f * g[0] - 2.0f * g[last]).cpu(), "grad row 0");
  expect_close(x.grad()[last], (0.25f * g[last] + 3.0f * g[last - 1]).cpu(), "grad row last");
  const auto dot = [&](int64_t a, int64_t b) { return (g[a] * xd[b]).sum().cpu(); };
  expect_close(values.grad()[0], dot(5, last - 1), "value 0");
  expect_close(values.grad()[1], dot(last, 0), "value 1");
  expect_close(values.grad()[2], dot(last - 1, last), "value 2");
}

TEST(CudaModelTest, GcnLayersAndModelsMatchCpu) {
  SKIP_WITHOUT_GPU();
  const Graph graph = random_multigraph(500, 500, 3000, 0, 5);
  const GcnAdjacency adj(graph);
  torch::manual_seed(6);
  const auto x = torch::randn({500, 10});
  const auto mask = torch::rand({adj.num_edges()});
  for (const auto mode : {EdgeWeightMode::kMask, EdgeWeightMode::kAdjacency}) {
    GCNConv conv(GCNConvOptions(10, 16).edge_weight_mode(mode));
    auto m_cpu = mask.clone().requires_grad_(true);
    auto out_cpu = conv->forward(x, adj, m_cpu);
    out_cpu.pow(2).sum().backward();
    for (auto& p : conv->parameters()) p.mutable_grad() = torch::Tensor();  // CPU gradients
    conv->to(kGpu);
    auto m_gpu = mask.to(kGpu).requires_grad_(true);
    auto out_gpu = conv->forward(x.to(kGpu), adj, m_gpu);
    out_gpu.pow(2).sum().backward();
    expect_close(out_gpu, out_cpu, "GCNConv forward", 1e-4);
    expect_close(m_gpu.grad(), m_cpu.grad(), "GCNConv mask gradient", 1e-4);
  }
  ModelSpec spec;
  spec.task = Task::kNodeClassification;
  spec.in_features = 10;
  spec.num_classes = 4;
  for (const auto task : {Task::kNodeClassification, Task::kGraphClassification}) {
    spec.task = task;
    spec.bias_init = 0.1;
    auto model = make_model(spec);
    model->eval();
    // Graph task: nodes 0..249 are graph 0, the rest graph 1.
    const auto batch = task == Task::kGraphClassification
                           ? (torch::arange(500, torch::kLong) >= 250).to(torch::kLong)
                           : torch::Tensor();
    const auto logits_cpu = model->logits(x, adj, mask, batch, 2);
    model->to(kGpu);
    const auto logits_gpu =
        model->logits(x.to(kGpu), adj, mask.to(kGpu), batch.defined() ? batch.to(kGpu) : batch, 2);
    expect_close(logits_gpu, logits_cpu, "model logits", 1e-4);
  }
}
