// LayerPlan (explainers' pruned passes) on every layer type: SAGE's means and GAT's softmaxes
// need all in-edges of every row a layer keeps, GINE and GAT their edge features.

#include <gnnx/datasets/synthetic.h>
#include <gnnx/explainers/layer_plan.h>
#include <gnnx/explainers/target_batch.h>

#include <gtest/gtest.h>
#include <torch/autograd.h>

using namespace gnnx;

TEST(LayerPlanArchTest, PrunedPassEqualsTheFullPassForEveryArchitecture) {
  const auto ds = datasets::make_synthetic("ba-shapes", 0);
  const auto& base = ds.graphs[0];
  torch::manual_seed(7);
  const gnn::Graph g(base.num_nodes(), base.edge_index(), base.x() + torch::rand(base.x().sizes()),
                     base.y(), torch::rand({base.num_edges(), 3}));
  const gnn::GcnAdjacency adj(g);
  const std::vector<int64_t> targets{400, 405, 0, 650, 400};
  for (gnn::Architecture arch :
       {gnn::Architecture::kGin, gnn::Architecture::kGine, gnn::Architecture::kGraphConv,
        gnn::Architecture::kSage, gnn::Architecture::kGat}) {
    SCOPED_TRACE(gnn::to_string(arch));
    torch::manual_seed(2);
    gnn::ModelSpec spec;
    spec.arch = arch;
    spec.in_features = g.num_features();
    spec.num_classes = 4;
    spec.hidden = 8;
    if (arch == gnn::Architecture::kGat) spec.heads = 2;
    if (arch == gnn::Architecture::kGine || arch == gnn::Architecture::kGat) spec.edge_dim = 3;
    auto model = gnn::make_model(spec);
    model->eval();
    const auto batch = explainers::make_node_batch(g, adj, targets, /*num_hops=*/3);
    const explainers::LayerPlan plan(*model, batch);
    torch::manual_seed(5);
    const auto mask = torch::rand({batch.graph.num_edges()}).requires_grad_();
    const auto on_graph = model->logits(g.x(), adj).index_select(0, torch::tensor(targets));
    EXPECT_TRUE(torch::allclose(explainers::target_logits(*model, batch, batch.graph.x()),
                                on_graph.detach(), 1e-5, 1e-6));
    const auto full = explainers::target_logits(*model, batch, batch.graph.x(), mask);
    const auto full_grad = torch::autograd::grad({full.pow(2).sum()}, {mask})[0];
    const auto pruned = plan.target_logits(batch.graph.x(), mask);
    const auto pruned_grad = torch::autograd::grad({pruned.pow(2).sum()}, {mask})[0];
    EXPECT_TRUE(torch::allclose(pruned, full, 1e-5, 1e-6));
    EXPECT_TRUE(torch::allclose(pruned_grad, full_grad, 1e-4, 1e-6));
  }
}
