// The model interface explainers use (model_hooks.h): each hook against a reference worked out
// by hand or against the plain forward pass.

#include <gnnx/gnn/gcn_adjacency.h>
#include <gnnx/gnn/models.h>
#include <gnnx/gnn/subgraph.h>

#include <gtest/gtest.h>
#include <torch/autograd.h>

#include "support/builders.h"

namespace gnnx::gnn {
namespace {

ModelSpec spec_of(Task task, bool concat = true, int64_t mlp_hidden = 0) {
  ModelSpec spec;
  spec.task = task;
  spec.in_features = 4;
  spec.num_classes = 3;
  spec.hidden = 6;
  spec.num_layers = 3;
  spec.concat = concat;
  spec.mlp_hidden = mlp_hidden;
  return spec;
}

TEST(ModelHooksTest, ReluRulesBackwardByHand) {
  // z = (-1, 2), incoming gradient g = (3, -4).
  const auto g = torch::tensor({3.0, -4.0}, torch::kDouble);
  const std::vector<std::pair<ReluRule, std::vector<double>>> cases = {
      {ReluRule::kStandard, {0.0, -4.0}},      // [z > 0] g
      {ReluRule::kGuided, {0.0, 0.0}},         // [z > 0] max(g, 0)
      {ReluRule::kDeconvolution, {3.0, 0.0}},  // max(g, 0)
  };
  for (const auto& [rule, expected] : cases) {
    const auto z = torch::tensor({-1.0, 2.0}, torch::kDouble).requires_grad_();
    const auto out = relu_with_rule(z, rule);
    EXPECT_TRUE(torch::equal(out.detach(), torch::tensor({0.0, 2.0}, torch::kDouble)));
    const auto grad = torch::autograd::grad({out}, {z}, {g})[0];
    EXPECT_TRUE(torch::equal(grad, torch::tensor(expected, torch::kDouble)));
  }
}

TEST(ModelHooksTest, RescaleRuleByHand) {
  // Input rows z = (-1, 2, 3, 1), reference rows z0 = (1, -2, 3, 0.5), stacked [z; z0]; the
  // input half's gradient is g · ΔReLU/Δz, the plain gradient where Δz = 0, the reference's 0.
  const auto z = torch::tensor({-1.0, 2.0, 3.0, 1.0, 1.0, -2.0, 3.0, 0.5}, torch::kDouble)
                     .reshape({2, 4})
                     .requires_grad_();
  const auto g =
      torch::tensor({2.0, 2.0, 2.0, 2.0, 5.0, 5.0, 5.0, 5.0}, torch::kDouble).reshape({2, 4});
  const auto out = relu_with_rule(z, ReluRule::kRescale);
  EXPECT_TRUE(torch::equal(out.detach(), torch::relu(z.detach())));
  const auto grad = torch::autograd::grad({out}, {z}, {g})[0];
  // (0 − 1)/(−2) = 0.5; (2 − 0)/4 = 0.5; Δz = 0: [3 > 0] = 1; (1 − 0.5)/0.5 = 1.
  const auto expected =
      torch::tensor({1.0, 1.0, 2.0, 2.0, 0.0, 0.0, 0.0, 0.0}, torch::kDouble).reshape({2, 4});
  EXPECT_TRUE(torch::allclose(grad, expected)) << grad;
  EXPECT_THROW(relu_with_rule(torch::zeros({3}), ReluRule::kRescale), c10::Error);
}

TEST(ModelHooksTest, OutputRowsAreBitIdenticalToTheFullPass) {
  const Graph g = testing::random_graph(30, 90, 4, /*seed=*/1);
  const GcnAdjacency adj(g);
  for (bool concat : {true, false}) {
    torch::manual_seed(2);
    auto model = make_model(spec_of(Task::kNodeClassification, concat));
    model->eval();
    const auto rows = torch::tensor({29, 0, 7, 7}, torch::kLong);
    ModelInput input;
    input.x = g.x();
    input.adj = &adj;
    input.output_rows = rows;
    const auto full = model->forward(g.x(), adj).logits;
    EXPECT_TRUE(torch::equal(model->run(input).logits, full.index_select(0, rows)));
  }
}

TEST(ModelHooksTest, DropoutMasksReplaceDropout) {
  const Graph g = testing::random_graph(12, 30, 4, /*seed=*/3);
  const GcnAdjacency adj(g);
  torch::manual_seed(4);
  ModelSpec spec = spec_of(Task::kNodeClassification, /*concat=*/false);
  spec.dropout = 0.5;
  auto model = make_model(spec);
  model->eval();
  ModelInput input;
  input.x = g.x();
  input.adj = &adj;
  ForwardHooks ones;
  for (int l = 0; l < 3; ++l) ones.dropout_masks.push_back(torch::ones({12, 6}));
  EXPECT_TRUE(torch::equal(model->run(input, ones).logits, model->forward(g.x(), adj).logits));
  // A zero mask on the last layer leaves the head only its bias.
  ForwardHooks last_off = ones;
  last_off.dropout_masks[2] = torch::zeros({12, 6});
  const auto bias = model->head_layers().back().bias;
  EXPECT_TRUE(torch::allclose(model->run(input, last_off).logits, bias.expand({12, 3})));
  ForwardHooks wrong;
  wrong.dropout_masks.push_back(torch::ones({12, 6}));
  EXPECT_THROW(model->run(input, wrong), c10::Error);
}

TEST(ModelHooksTest, LayerGraphsOfTheWholeGraphEqualThePlainPass) {
  const Graph g = testing::random_graph(20, 60, 4, /*seed=*/5);
  const GcnAdjacency adj(g);
  torch::manual_seed(6);
  auto model = make_model(spec_of(Task::kNodeClassification));
  model->eval();
  const auto mask = torch::rand({g.num_edges()});
  ForwardHooks hooks;
  for (int l = 0; l < 3; ++l) hooks.layer_graphs.push_back({&adj, mask, -1});
  ModelInput input;
  input.x = g.x();
  EXPECT_TRUE(
      torch::equal(model->run(input, hooks).logits, model->forward(g.x(), adj, mask).logits));
}

TEST(ModelHooksTest, DescriptionsSayWhatEachModelIs) {
  NodeClassifierImpl node(spec_of(Task::kNodeClassification));
  const ModelDescription n = node.describe();
  EXPECT_EQ(n.task, Task::kNodeClassification);
  EXPECT_EQ(n.num_layers(), 3);
  EXPECT_EQ(n.layers[0].in_features, 4);
  EXPECT_EQ(n.layers[2].out_features, 6);
  EXPECT_EQ(n.layers[1].kind, "gcn");
  EXPECT_EQ(n.head_input, HeadInput::kConcatenatedLayers);
  EXPECT_EQ(n.head_layers, 1);
  EXPECT_TRUE(n.layer_graphs);
  GraphClassifierImpl graph(spec_of(Task::kGraphClassification, true, /*mlp_hidden=*/5));
  const ModelDescription d = graph.describe();
  EXPECT_EQ(d.head_input, HeadInput::kReadout);
  EXPECT_EQ(d.head_layers, 2);
  EXPECT_FALSE(d.layer_graphs);
  ASSERT_EQ(graph.head_layers().size(), 2u);
  EXPECT_EQ(graph.head_layers()[0].weight.sizes(), (std::vector<int64_t>{5, 6}));
  EXPECT_EQ(graph.layer_weight(0).sizes(), (std::vector<int64_t>{4, 6}));
  EXPECT_THROW(graph.layer_weight(3), c10::Error);
}

TEST(ModelHooksTest, HeadLayersAreTheModelsOwnParameters) {
  const Graph g = testing::random_graph(10, 20, 4, /*seed=*/7);
  const GcnAdjacency adj(g);
  GraphClassifierImpl model(spec_of(Task::kGraphClassification));
  model.eval();
  torch::NoGradGuard no_grad;
  model.head_layers().back().bias.fill_(5.0);
  model.head_layers().back().weight.zero_();
  EXPECT_TRUE(torch::allclose(model.forward(g.x(), adj).logits, torch::full({1, 3}, 5.0)));
}

// Graph models take per-layer graphs only over the whole node set (GraphMask's per-layer masks:
// the readout pools every row); a planned pass that keeps fewer rows is refused.
TEST(ModelHooksTest, GraphModelsRefuseLayerGraphsThatDropRows) {
  const Graph g = testing::random_graph(10, 20, 4, /*seed=*/8);
  const GcnAdjacency adj(g);
  GraphClassifierImpl model(spec_of(Task::kGraphClassification));
  ModelInput input;
  input.x = g.x();
  input.adj = &adj;
  ForwardHooks whole;
  for (int l = 0; l < 3; ++l) whole.layer_graphs.push_back({&adj, {}, -1});
  EXPECT_TRUE(torch::allclose(model.run(input, whole).logits, model.run(input).logits));
  ForwardHooks dropping;
  for (int l = 0; l < 3; ++l) dropping.layer_graphs.push_back({&adj, {}, 4});
  EXPECT_THROW(model.run(input, dropping), c10::Error);
}

}  // namespace
}  // namespace gnnx::gnn
