// Models built from every layer type (ModelSpec::arch): training, model files, descriptions.

#include <gnnx/gnn/error.h>
#include <gnnx/gnn/model_file.h>
#include <gnnx/gnn/subgraph.h>

#include <gtest/gtest.h>
#include <torch/autograd.h>
#include <torch/nn/functional/loss.h>
#include <torch/optim/adam.h>

#include <support/builders.h>

#include <unistd.h>

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace gnnx::gnn {
namespace {

namespace fs = std::filesystem;

const std::vector<Architecture> kArchs = {Architecture::kGcn,  Architecture::kGin,
                                          Architecture::kGine, Architecture::kGraphConv,
                                          Architecture::kSage, Architecture::kGat};

class ArchitecturesTest : public ::testing::TestWithParam<Architecture> {
 protected:
  void SetUp() override { torch::manual_seed(0); }
};

ModelSpec spec_for(Architecture arch, Task task) {
  ModelSpec spec;
  spec.task = task;
  spec.arch = arch;
  spec.in_features = 4;
  spec.num_classes = 2;
  spec.hidden = 8;
  spec.num_layers = 2;
  if (arch == Architecture::kGat) spec.heads = 2;
  if (arch == Architecture::kGine || arch == Architecture::kGat) spec.edge_dim = 3;
  if (task == Task::kGraphClassification) spec.mlp_hidden = 6;
  return spec;
}

/// A random graph with edge features [E, 3] and node labels: does the node's first feature
/// plus its neighbours' exceed 0.
Graph labelled_graph(uint64_t seed) {
  const Graph g = testing::random_graph(40, 120, 4, seed);
  const auto attr = torch::rand({g.num_edges(), 3});
  const auto sum = g.x().select(1, 0).index_add(
      0, g.edge_index()[1], g.x().select(1, 0).index_select(0, g.edge_index()[0]));
  return {g.num_nodes(), g.edge_index(), g.x(), (sum > 0).to(torch::kLong), attr};
}

/// Twelve small graphs with edge features; label: is the mean of feature 0 positive.
std::vector<Graph> labelled_graphs() {
  std::vector<Graph> graphs;
  for (uint64_t i = 0; i < 12; ++i) {
    const Graph g = testing::random_graph(8, 16, 4, 100 + i);
    const auto label = (g.x().select(1, 0).mean() > 0).to(torch::kLong).reshape({1});
    graphs.emplace_back(g.num_nodes(), g.edge_index(), g.x(), label,
                        torch::rand({g.num_edges(), 3}));
  }
  return graphs;
}

/// Adam for `steps` full-batch steps; the first and last losses.
std::pair<double, double> train(GnnModel& model, const std::function<torch::Tensor()>& loss,
                                int steps) {
  torch::optim::Adam adam(model.parameters(), torch::optim::AdamOptions(0.01));
  model.train();
  double first = 0, last = 0;
  for (int s = 0; s < steps; ++s) {
    adam.zero_grad();
    const auto l = loss();
    if (s == 0) first = l.item<double>();
    last = l.item<double>();
    l.backward();
    adam.step();
  }
  return {first, last};
}

TEST_P(ArchitecturesTest, NodeModelTrainsLossFalls) {
  const Graph g = labelled_graph(1);
  const GcnAdjacency adj(g);
  auto model = make_model(spec_for(GetParam(), Task::kNodeClassification));
  const auto [first, last] = train(
      *model,
      [&] { return torch::nn::functional::cross_entropy(model->logits(g.x(), adj), g.y()); }, 40);
  EXPECT_LT(last, 0.8 * first) << to_string(GetParam());
}

TEST_P(ArchitecturesTest, GraphModelTrainsLossFalls) {
  const auto graphs = labelled_graphs();
  const Batch b = make_batch(graphs);
  const GcnAdjacency adj(b.graph);
  for (bool concat : {false, true}) {
    ModelSpec spec = spec_for(GetParam(), Task::kGraphClassification);
    spec.readout_concat = concat;
    spec.readout = concat ? Readout::kSum : Readout::kMean;
    auto model = make_model(spec);
    const auto [first, last] = train(
        *model,
        [&] {
          return torch::nn::functional::cross_entropy(
              model->logits(b.graph.x(), adj, {}, b.batch, b.num_graphs()), b.graph.y());
        },
        40);
    EXPECT_LT(last, 0.8 * first) << to_string(GetParam()) << " readout_concat=" << concat;
  }
}

TEST_P(ArchitecturesTest, SaveLoadRoundTripGivesIdenticalLogits) {
  const auto dir = fs::temp_directory_path() /
                   ("gnnx_arch_test_" + std::to_string(::getpid()) + "_" + to_string(GetParam()));
  fs::create_directories(dir);
  const Graph g = labelled_graph(2);
  const GcnAdjacency adj(g);
  for (Task task : {Task::kNodeClassification, Task::kGraphClassification}) {
    ModelSpec spec = spec_for(GetParam(), task);
    spec.train_eps = true;  // read by gin and gine only
    if (task == Task::kGraphClassification) spec.readout_concat = true;
    if (GetParam() != Architecture::kGin && GetParam() != Architecture::kGine) {
      spec.train_eps = false;
    }
    auto model = make_model(spec);
    model->eval();
    const std::string path = (dir / "model.gnnx").string();
    save_model(path, *model);
    const ModelFile file = load_model(path);
    EXPECT_EQ(file.model->spec().arch, GetParam());
    EXPECT_EQ(file.model->spec().heads, spec.heads);
    EXPECT_EQ(file.model->spec().edge_dim, spec.edge_dim);
    EXPECT_EQ(file.model->spec().train_eps, spec.train_eps);
    EXPECT_EQ(file.model->spec().readout_concat, spec.readout_concat);
    torch::NoGradGuard no_grad;
    EXPECT_TRUE(torch::equal(file.model->logits(g.x(), adj), model->logits(g.x(), adj)))
        << to_string(GetParam()) << " " << to_string(task);
  }
  fs::remove_all(dir);
}

TEST_P(ArchitecturesTest, LayerGraphsOfTheWholeGraphEqualThePlainPass) {
  const Graph g = labelled_graph(3);
  const GcnAdjacency adj(g);
  auto model = make_model(spec_for(GetParam(), Task::kNodeClassification));
  model->eval();
  const auto mask = torch::rand({g.num_edges()});
  ForwardHooks hooks;
  for (int l = 0; l < 2; ++l) hooks.layer_graphs.push_back({&adj, mask, -1});
  ModelInput input;
  input.x = g.x();
  EXPECT_TRUE(
      torch::equal(model->run(input, hooks).logits, model->forward(g.x(), adj, mask).logits));
}

TEST_P(ArchitecturesTest, DescriptionIsTruthful) {
  auto model = make_model(spec_for(GetParam(), Task::kGraphClassification));
  const ModelDescription d = model->describe();
  ASSERT_EQ(d.num_layers(), 2);
  const bool gcn = GetParam() == Architecture::kGcn;
  const bool gat = GetParam() == Architecture::kGat;
  for (const auto& layer : d.layers) {
    EXPECT_EQ(layer.kind, to_string(GetParam()));
    EXPECT_EQ(layer.out_features, 8);
    EXPECT_EQ(layer.linear_message, gcn);
    EXPECT_TRUE(layer.linear_paths);
    EXPECT_EQ(layer.heads, gat ? 2 : 1);
    EXPECT_EQ(layer.edge_dim, GetParam() == Architecture::kGine || gat ? 3 : 0);
  }
  EXPECT_EQ(d.relu_rules, !gat);
  EXPECT_EQ(d.fixed_attention, gat);
  if (GetParam() == Architecture::kGin || GetParam() == Architecture::kGine) {
    EXPECT_THROW(model->layer_weight(0), c10::Error);
  } else {
    EXPECT_EQ(model->layer_weight(1).sizes(), (std::vector<int64_t>{8, 8}));
  }
}

// LayerPaths rebuild each layer: Σ_h (Σ_e c_eh m_e W_h + s_ih x_i V_h), plus the bias (or
// through the MLP), then the model's ReLU, is the layer's embedding in the same pass.
TEST_P(ArchitecturesTest, LayerPathsRebuildTheLayers) {
  const Graph g = labelled_graph(4);
  const GcnAdjacency adj(g);
  auto model = make_model(spec_for(GetParam(), Task::kNodeClassification));
  model->eval();
  torch::NoGradGuard no_grad;
  const auto out = model->forward(g.x(), adj);
  EXPECT_THROW(model->layer_paths(2, g.x(), adj), c10::Error);
  std::map<std::string, torch::Tensor> params;
  for (const auto& p : model->named_parameters()) params[p.key()] = p.value();
  for (int64_t l = 0; l < 2; ++l) {
    const auto& h = l == 0 ? g.x() : out.embeddings[0];
    const LayerPaths p = model->layer_paths(l, h, adj);
    const int64_t heads = GetParam() == Architecture::kGat ? 2 : 1;
    ASSERT_EQ(p.edge_coef.sizes(), (std::vector<int64_t>{g.num_edges(), heads}));
    ASSERT_EQ(p.self_coef.sizes(), (std::vector<int64_t>{g.num_nodes(), heads}));
    ASSERT_EQ(p.message_map.size(0), heads);
    torch::Tensor m = h.index_select(0, adj.src());
    if (p.edge_features.defined()) {
      m = torch::relu(m + torch::matmul(p.edge_features, p.edge_linear.weight.t()) +
                      p.edge_linear.bias);
    }
    auto z = torch::zeros({g.num_nodes(), p.message_map.size(2)});
    for (int64_t k = 0; k < heads; ++k) {
      z += p.self_coef.select(1, k).unsqueeze(1) * torch::matmul(h, p.self_map[k]);
      z.index_add_(0, adj.dst(),
                   p.edge_coef.select(1, k).unsqueeze(1) * torch::matmul(m, p.message_map[k]));
    }
    const std::string conv = "conv" + std::to_string(l) + ".";
    if (!p.mlp.empty()) {
      for (size_t k = 0; k < p.mlp.size(); ++k) {
        z = torch::matmul(z, p.mlp[k].weight.t()) + p.mlp[k].bias;
        if (k + 1 < p.mlp.size()) z = torch::relu(z);
      }
      EXPECT_FALSE(p.bias.defined());
    } else {
      // The layer's own bias parameter, by its PyTorch Geometric name.
      const std::string bias = GetParam() == Architecture::kGraphConv ? "lin_rel.bias"
                               : GetParam() == Architecture::kSage    ? "lin_l.bias"
                                                                      : "bias";
      ASSERT_TRUE(p.bias.defined());
      EXPECT_TRUE(torch::equal(p.bias, params.at(conv + bias)));
      z += p.bias;
    }
    EXPECT_TRUE(torch::allclose(torch::relu(z), out.embeddings[l], 1e-4, 1e-5))
        << to_string(GetParam()) << " layer " << l;
  }
}

// Holding GAT's attention fixed changes the backward only.
TEST_P(ArchitecturesTest, FixedAttentionKeepsTheForward) {
  const Graph g = labelled_graph(5);
  const GcnAdjacency adj(g);
  auto model = make_model(spec_for(GetParam(), Task::kNodeClassification));
  model->eval();
  ModelInput input;
  input.x = g.x().clone().requires_grad_();
  input.adj = &adj;
  ForwardHooks fixed;
  fixed.fixed_attention = true;
  const auto plain = model->run(input).logits;
  const auto held = model->run(input, fixed).logits;
  EXPECT_TRUE(torch::equal(plain, held));
  const auto g_plain = torch::autograd::grad({plain.sum()}, {input.x})[0];
  const auto g_held = torch::autograd::grad({held.sum()}, {input.x})[0];
  // Only GAT's gradient goes through coefficients that depend on x.
  EXPECT_EQ(torch::allclose(g_plain, g_held), GetParam() != Architecture::kGat)
      << to_string(GetParam());
}

INSTANTIATE_TEST_SUITE_P(AllLayers, ArchitecturesTest, ::testing::ValuesIn(kArchs),
                         [](const auto& info) { return to_string(info.param); });

TEST(ArchitecturesSpecTest, ParameterNamesFollowPyG) {
  torch::manual_seed(0);
  auto names = [](Architecture arch) {
    std::vector<std::string> out;
    for (const auto& p :
         make_model(spec_for(arch, Task::kNodeClassification))->named_parameters()) {
      out.push_back(p.key());
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names(Architecture::kSage).front(), "conv0.lin_l.weight");
  EXPECT_EQ(names(Architecture::kGraphConv).front(), "conv0.lin_rel.weight");
  EXPECT_EQ(names(Architecture::kGin).front(), "conv0.nn.0.weight");
  const V gat = names(Architecture::kGat);
  EXPECT_EQ(V(gat.begin(), gat.begin() + 6),
            (V{"conv0.att_src", "conv0.att_dst", "conv0.att_edge", "conv0.bias", "conv0.lin.weight",
               "conv0.lin_edge.weight"}));
}

TEST(ArchitecturesSpecTest, ValidateNamesTheBadField) {
  ModelSpec spec = spec_for(Architecture::kGat, Task::kNodeClassification);
  spec.heads = 3;  // 8 is not a multiple of 3
  EXPECT_THROW(spec.validate(), InputError);
  spec = spec_for(Architecture::kGine, Task::kNodeClassification);
  spec.edge_dim = 0;
  try {
    spec.validate();
    FAIL() << "gine without edge features validated";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("edge_dim"), std::string::npos) << e.what();
  }
  spec = spec_for(Architecture::kSage, Task::kNodeClassification);
  spec.heads = 2;
  EXPECT_THROW(spec.validate(), InputError);
  EXPECT_THROW(parse_architecture("gcnn"), InputError);
  for (Architecture a : kArchs) EXPECT_EQ(parse_architecture(to_string(a)), a);
}

TEST(ArchitecturesSpecTest, GineWithoutEdgeFeaturesSaysWhatItNeeds) {
  torch::manual_seed(0);
  const Graph g = testing::random_graph(10, 20, 4, /*seed=*/9);  // no edge_attr
  auto model = make_model(spec_for(Architecture::kGine, Task::kNodeClassification));
  try {
    model->logits(g.x(), GcnAdjacency(g));
    FAIL() << "no error";
  } catch (const c10::Error& e) {
    EXPECT_NE(std::string(e.what()).find("edge_attr"), std::string::npos) << e.what();
  }
}

// Files written before the architectures existed have no "arch" key: they load as GCNs.
TEST(ArchitecturesSpecTest, FilesWithoutArchLoadAsGcn) {
  for (const char* name : {"/ba2motifs_before_card.gnnx", "/molecule_before_card.gnnx"}) {
    const ModelFile file = load_model(std::string(GNNX_TEST_DATA) + name);
    EXPECT_EQ(file.model->spec().arch, Architecture::kGcn) << name;
    EXPECT_EQ(file.model->spec().heads, 1);
    EXPECT_EQ(file.model->spec().edge_dim, 0);
    EXPECT_FALSE(file.model->spec().readout_concat);
    EXPECT_EQ(file.model->describe().layers.front().kind, "gcn");
  }
}

}  // namespace
}  // namespace gnnx::gnn
