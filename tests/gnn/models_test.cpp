#include <gnnx/gnn/error.h>
#include <gnnx/gnn/max_readout.h>
#include <gnnx/gnn/models.h>
#include <gnnx/gnn/subgraph.h>

#include <gtest/gtest.h>
#include <torch/linalg.h>

#include <support/builders.h>

#include <cmath>
#include <limits>
#include <string>

namespace gnnx::gnn {
namespace {

class ModelsTest : public ::testing::Test {
 protected:
  void SetUp() override { torch::manual_seed(0); }
};

ModelSpec node_spec() {
  ModelSpec spec;
  spec.task = Task::kNodeClassification;
  spec.in_features = 4;
  spec.num_classes = 3;
  spec.hidden = 8;
  spec.num_layers = 3;
  return spec;
}

ModelSpec graph_spec() {
  ModelSpec spec = node_spec();
  spec.task = Task::kGraphClassification;
  spec.num_layers = 2;
  return spec;
}

TEST_F(ModelsTest, NodeClassifierShapes) {
  const Graph g = testing::random_graph(10, 20, 4, /*seed=*/1);
  const GcnAdjacency adj(g);
  NodeClassifierImpl model(node_spec());
  const ModelOutput out = model.forward(g.x(), adj);
  EXPECT_EQ(out.logits.sizes(), (std::vector<int64_t>{10, 3}));
  ASSERT_EQ(out.embeddings.size(), 3u);
  for (const auto& e : out.embeddings) {
    EXPECT_EQ(e.sizes(), (std::vector<int64_t>{10, 8}));
    EXPECT_GE(e.min().item<float>(), 0.0f);  // post-ReLU
  }
  EXPECT_FALSE(out.pooled.defined());
  EXPECT_EQ(model.head()->options.in_features(), 24);  // all three layers concatenated
}

TEST_F(ModelsTest, NodeClassifierWithoutConcatReadsLastLayer) {
  ModelSpec spec = node_spec();
  spec.concat = false;
  NodeClassifierImpl model(spec);
  EXPECT_EQ(model.head()->options.in_features(), 8);
  const Graph g = testing::random_graph(5, 6, 4, /*seed=*/2);
  EXPECT_EQ(model.logits(g.x(), GcnAdjacency(g)).sizes(), (std::vector<int64_t>{5, 3}));
}

TEST_F(ModelsTest, ParametersHaveStableNames) {
  ModelSpec spec = graph_spec();
  spec.mlp_hidden = 5;
  GraphClassifierImpl model(spec);
  std::vector<std::string> names;
  for (const auto& p : model.named_parameters()) names.push_back(p.key());
  const std::vector<std::string> expected = {
      "conv0.weight",        "conv0.bias",        "conv1.weight", "conv1.bias",
      "hidden_layer.weight", "hidden_layer.bias", "head.weight",  "head.bias"};
  EXPECT_EQ(names, expected);
}

TEST_F(ModelsTest, EmbeddingsArePartOfTheAutogradGraph) {
  const Graph g = testing::random_graph(8, 16, 4, /*seed=*/3);
  NodeClassifierImpl model(node_spec());
  ModelOutput out = model.forward(g.x(), GcnAdjacency(g));
  for (auto& e : out.embeddings) e.retain_grad();
  out.logits.sum().backward();
  for (const auto& e : out.embeddings) {
    ASSERT_TRUE(e.grad().defined());
    EXPECT_GT(e.grad().abs().sum().item<double>(), 0.0);
  }
}

TEST_F(ModelsTest, GraphClassifierShapesOnABatch) {
  const Batch b = make_batch({testing::random_graph(4, 6, 4, 1), testing::random_graph(6, 9, 4, 2),
                              testing::random_graph(3, 2, 4, 3)});
  ModelSpec spec = graph_spec();
  spec.mlp_hidden = 5;
  GraphClassifierImpl model(spec);
  ASSERT_FALSE(model.hidden_layer().is_empty());
  const ModelOutput out =
      model.forward(b.graph.x(), GcnAdjacency(b.graph), {}, b.batch, b.num_graphs());
  EXPECT_EQ(out.logits.sizes(), (std::vector<int64_t>{3, 3}));
  EXPECT_EQ(out.pooled.sizes(), (std::vector<int64_t>{3, 8}));
  ASSERT_EQ(out.embeddings.size(), 2u);
  EXPECT_EQ(out.embeddings[1].sizes(), (std::vector<int64_t>{13, 8}));
}

TEST_F(ModelsTest, GraphClassifierBatchedEqualsOneGraphAtATime) {
  std::vector<Graph> graphs = {testing::random_graph(4, 6, 4, 1),
                               testing::random_graph(6, 9, 4, 2)};
  for (Readout kind : {Readout::kMean, Readout::kMax, Readout::kSum}) {
    ModelSpec spec = graph_spec();
    spec.readout = kind;
    GraphClassifierImpl model(spec);
    model.eval();
    const Batch b = make_batch(graphs);
    const torch::Tensor batched =
        model.logits(b.graph.x(), GcnAdjacency(b.graph), {}, b.batch, b.num_graphs());
    for (size_t i = 0; i < graphs.size(); ++i) {
      const torch::Tensor single = model.logits(graphs[i].x(), GcnAdjacency(graphs[i]));
      EXPECT_TRUE(torch::allclose(batched[i], single[0], 1e-5, 1e-6)) << to_string(kind);
    }
  }
}

TEST_F(ModelsTest, GraphClassifierSingleLinearHeadByDefault) {
  GraphClassifierImpl model(graph_spec());
  EXPECT_TRUE(model.hidden_layer().is_empty());
  EXPECT_EQ(model.head()->options.in_features(), 8);
}

TEST_F(ModelsTest, ReadoutMatchesHandComputation) {
  const auto h = torch::tensor({{1.0, 2.0}, {3.0, -4.0}, {5.0, 6.0}, {0.0, 1.0}});
  // Unsorted graph ids; graph 2 has no nodes.
  const auto batch = torch::tensor({0, 1, 0, 1}, torch::kLong);
  EXPECT_TRUE(torch::equal(readout(h, batch, 3, Readout::kSum),
                           torch::tensor({{6.0, 8.0}, {3.0, -3.0}, {0.0, 0.0}})));
  EXPECT_TRUE(torch::equal(readout(h, batch, 3, Readout::kMean),
                           torch::tensor({{3.0, 4.0}, {1.5, -1.5}, {0.0, 0.0}})));
  EXPECT_TRUE(torch::equal(readout(h, batch, 3, Readout::kMax),
                           torch::tensor({{5.0, 6.0}, {3.0, 1.0}, {0.0, 0.0}})));
}

TEST_F(ModelsTest, ReadoutMaxGradientGoesToTheMaximum) {
  auto h = torch::tensor({{1.0, 2.0}, {3.0, 2.0}, {5.0, -6.0}}).requires_grad_();
  const auto batch = torch::tensor({0, 0, 1}, torch::kLong);
  readout(h, batch, 2, Readout::kMax).sum().backward();
  // Column 1 of graph 0 ties: the gradient is split evenly.
  EXPECT_TRUE(torch::equal(h.grad(), torch::tensor({{0.0, 0.5}, {1.0, 0.5}, {1.0, 1.0}})));
}

// Values within a relative 1e-5 of the maximum tie (max_readout.h): float32 rounding of
// reordered sums must not decide which of two mirror-image nodes gets the gradient.
TEST_F(ModelsTest, ReadoutMaxGradientIsSharedByNearTies) {
  const float top = 2.0f;
  const float below = std::nextafter(top, 0.0f);  // one ulp under the maximum
  auto h = torch::tensor({{top, 1.0f}, {below, 1.0f - 1e-3f}, {0.5f, 0.0f}}).requires_grad_();
  const auto batch = torch::tensor({0, 0, 0}, torch::kLong);
  const auto pooled = readout(h, batch, 1, Readout::kMax);
  EXPECT_EQ(pooled[0][0].item<float>(), top);  // the value is the exact maximum
  pooled.sum().backward();
  // Column 0: one ulp apart, tied. Column 1: 1e-3 apart, not.
  EXPECT_TRUE(torch::equal(h.grad(), torch::tensor({{0.5f, 1.0f}, {0.5f, 0.0f}, {0.0f, 0.0f}})));
  EXPECT_TRUE(torch::equal(max_readout_shares(h, batch, 1, pooled), h.grad()));
  // Training keeps amax's exact ties, so trained models are those of before the rule.
  h.mutable_grad().zero_();
  readout(h, batch, 1, Readout::kMax, MaxTies::kExact).sum().backward();
  EXPECT_TRUE(torch::equal(h.grad(), torch::tensor({{1.0f, 1.0f}, {0.0f, 0.0f}, {0.0f, 0.0f}})));
}

TEST_F(ModelsTest, ReadoutRejectsOutOfRangeGraphIds) {
  const auto h = torch::ones({2, 3});
  EXPECT_THROW(readout(h, torch::tensor({0, 2}, torch::kLong), 2, Readout::kSum), c10::Error);
  EXPECT_THROW(readout(h, torch::tensor({0}, torch::kLong), 1, Readout::kSum), c10::Error);
}

TEST_F(ModelsTest, DropoutOnlyInTrainMode) {
  ModelSpec spec = node_spec();
  spec.dropout = 0.5;
  NodeClassifierImpl model(spec);
  const Graph g = testing::random_graph(12, 30, 4, /*seed=*/4);
  const GcnAdjacency adj(g);
  model.eval();
  EXPECT_TRUE(torch::equal(model.logits(g.x(), adj), model.logits(g.x(), adj)));
  model.train();
  EXPECT_FALSE(torch::equal(model.logits(g.x(), adj), model.logits(g.x(), adj)));
}

TEST_F(ModelsTest, ForwardRejectsWrongFeatureWidth) {
  NodeClassifierImpl model(node_spec());
  const Graph g = testing::random_graph(5, 6, 7, /*seed=*/5);
  EXPECT_THROW(model.forward(g.x(), GcnAdjacency(g)), c10::Error);
}

TEST_F(ModelsTest, MakeModelBuildsTheSpecsTask) {
  EXPECT_NE(dynamic_cast<NodeClassifierImpl*>(make_model(node_spec()).get()), nullptr);
  EXPECT_NE(dynamic_cast<GraphClassifierImpl*>(make_model(graph_spec()).get()), nullptr);
}

TEST_F(ModelsTest, ValidateNamesTheBadField) {
  auto expect_invalid = [](ModelSpec spec, const std::string& field) {
    try {
      spec.validate();
      ADD_FAILURE() << "no error for " << field;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
  };
  ModelSpec spec = node_spec();
  spec.hidden = 0;
  expect_invalid(spec, "hidden");
  spec = node_spec();
  spec.dropout = 1.0;
  expect_invalid(spec, "dropout");
  spec = node_spec();
  spec.in_features = 0;
  expect_invalid(spec, "in_features");
  spec = node_spec();
  spec.num_layers = 0;
  expect_invalid(spec, "num_layers");
  spec = node_spec();
  spec.bias_init = std::numeric_limits<double>::quiet_NaN();
  expect_invalid(spec, "bias_init");
  spec = node_spec();
  spec.mlp_hidden = -1;
  expect_invalid(spec, "mlp_hidden");
  EXPECT_THROW(make_model(spec), InputError);
}

// BA-2Motifs stayed at chance: with the same features on every node and zero biases, each GCN
// layer's output is rank one, so a ReLU unit is dead on all nodes or linear on all nodes and the
// model sees one scalar per node. A positive bias_init breaks that from the first step.
TEST_F(ModelsTest, ConstantFeaturesGiveRankOneEmbeddingsUnlessBiasInitIsPositive) {
  const Graph g = testing::random_graph(30, 80, 4, /*seed=*/6);
  const torch::Tensor x = torch::full({30, 4}, 0.1);
  const GcnAdjacency adj(g);
  for (double bias_init : {0.0, 0.1}) {
    ModelSpec spec = graph_spec();
    spec.bias_init = bias_init;
    torch::manual_seed(3);
    auto model = make_model(spec);
    for (int64_t l = 0; l < spec.num_layers; ++l) {
      const auto bias = model->named_parameters()["conv" + std::to_string(l) + ".bias"];
      EXPECT_TRUE(torch::equal(bias, torch::full({spec.hidden}, bias_init)));
    }
    torch::NoGradGuard no_grad;
    for (const torch::Tensor& e : model->forward(x, adj).embeddings) {
      const int64_t rank =
          torch::linalg::matrix_rank(e.to(torch::kDouble), /*tol=*/1e-5, /*hermitian=*/false)
              .item<int64_t>();
      if (bias_init == 0.0) {
        EXPECT_EQ(rank, 1);
      } else {
        EXPECT_GT(rank, 1);
      }
    }
  }
}

TEST_F(ModelsTest, NamesRoundTrip) {
  for (Task t : {Task::kNodeClassification, Task::kGraphClassification}) {
    EXPECT_EQ(parse_task(to_string(t)), t);
  }
  for (Readout r : {Readout::kMean, Readout::kMax, Readout::kSum}) {
    EXPECT_EQ(parse_readout(to_string(r)), r);
  }
  try {
    parse_readout("median");
    ADD_FAILURE();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("mean, max, sum"), std::string::npos);
  }
  EXPECT_THROW(parse_task("edge"), InputError);
}

}  // namespace
}  // namespace gnnx::gnn
