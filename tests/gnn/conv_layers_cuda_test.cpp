// Every layer type on a GPU against the CPU: a two-layer model's logits and its gradients in the
// features and the edge mask. Skipped (with a message) without a GPU. The SpMM parts run on
// gnnx's CUDA kernels, the rest (GINE's messages, GAT's softmax) on LibTorch's CUDA ops.

#include <gnnx/gnn/device.h>
#include <gnnx/gnn/models.h>

#include <gtest/gtest.h>
#include <torch/autograd.h>

#include "support/builders.h"

using namespace gnnx::gnn;

TEST(ConvLayersCudaTest, EveryArchitectureMatchesTheCpu_CUDA) {
  if (!cuda_built()) GTEST_SKIP() << "this gnnx was built without CUDA";
  if (cuda_device_count() == 0) GTEST_SKIP() << "no CUDA device present";
  const torch::Device gpu(torch::kCUDA, 0);
  const Graph base = gnnx::testing::random_graph(300, 2000, 6, /*seed=*/3);
  const Graph g(base.num_nodes(), base.edge_index(), base.x(), {},
                torch::rand({base.num_edges(), 3}));
  const GcnAdjacency adj(g);
  for (Architecture arch : {Architecture::kGcn, Architecture::kGin, Architecture::kGine,
                            Architecture::kGraphConv, Architecture::kSage, Architecture::kGat}) {
    SCOPED_TRACE(to_string(arch));
    ModelSpec spec;
    spec.arch = arch;
    spec.in_features = 6;
    spec.num_classes = 3;
    spec.hidden = 16;
    spec.num_layers = 2;
    if (arch == Architecture::kGat) spec.heads = 4;
    if (arch == Architecture::kGine || arch == Architecture::kGat) spec.edge_dim = 3;
    torch::manual_seed(1);
    auto cpu = make_model(spec);
    torch::manual_seed(1);
    auto cuda = make_model(spec);
    cuda->to(gpu);
    cpu->eval();
    cuda->eval();
    const auto mask = torch::rand({g.num_edges()});
    auto run = [&](GnnModel& model, torch::Device device) {
      auto x = g.x().to(device).requires_grad_();
      auto m = mask.to(device).requires_grad_();
      const auto logits = model.logits(x, adj, m);
      const auto grads = torch::autograd::grad({logits.pow(2).sum()}, {x, m});
      return std::vector<torch::Tensor>{logits.cpu(), grads[0].cpu(), grads[1].cpu()};
    };
    const auto a = run(*cpu, torch::kCPU);
    const auto b = run(*cuda, gpu);
    for (size_t i = 0; i < a.size(); ++i) {
      const double scale = a[i].abs().max().item<double>() + 1e-12;
      EXPECT_LT((a[i] - b[i]).abs().max().item<double>() / scale, 1e-4) << "output " << i;
    }
  }
}
