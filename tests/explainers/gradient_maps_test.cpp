// The gradient family, continued: occlusion, CAM, Grad-CAM and excitation backprop against the
// dense reference of gradient_reference.h (excitation backprop against a loop over its
// definition), batching, errors, the registry, metadata, progress and contrastivity.

#include "explainers/gradient_reference.h"

namespace gnnx::explainers::gradient_test {
namespace {

TEST_F(GradientMethodsTest, OcclusionMatchesDenseReference) {
  check_against_reference([](const TargetOptions& t) { return std::make_unique<Occlusion>(t); },
                          [](const Explanation& e, const DenseRef& ref) {
                            const int64_t t = local_target(e);
                            const int64_t c = e.explained_class;
                            const double p0 = ref.probability(ref.x(), ref.ones(), t, c);
                            auto node = torch::zeros({ref.num_nodes()}, torch::kDouble);
                            for (int64_t n = 0; n < ref.num_nodes(); ++n) {
                              auto x = ref.x().clone();
                              x[n].zero_();
                              const auto incident = (ref.src() == n).logical_or(ref.dst() == n);
                              node[n] = p0 - ref.probability(x, ref.ones().masked_fill(incident, 0),
                                                             t, c);
                            }
                            auto edge = torch::zeros({ref.num_edges()}, torch::kDouble);
                            for (int64_t k = 0; k < ref.num_edges(); ++k) {
                              auto w = ref.ones().clone();
                              w[k] = 0;
                              edge[k] = p0 - ref.probability(ref.x(), w, t, c);
                            }
                            return std::make_pair(node, edge);
                          },
                          /*atol=*/1e-6);
}

// --- CAM and Grad-CAM --------------------------------------------------------------------------

TEST_F(GradientMethodsTest, CamMatchesDenseReference) {
  check_against_reference(
      [](const TargetOptions& t) { return std::make_unique<Cam>(t); },
      [](const Explanation& e, const DenseRef& ref) {
        const auto f = ref.forward(ref.x(), ref.ones()).a.back();  // [n, H]
        // The head's row c: the reference's gradient of the pooled logit, times N.
        const auto g = ref.backward(ref.x(), ref.ones(), 0, e.explained_class, Rule::kStandard);
        const auto w_c = g.by_act.back()[0] * static_cast<double>(ref.num_nodes());
        const auto node = torch::relu(torch::matmul(f, w_c));
        return std::make_pair(node, edge_min(ref, node));
      },
      1e-5, /*node_task=*/false, /*graph_task=*/true);
}

TEST_F(GradientMethodsTest, CamIsGradCamAtTheLastLayerTimesTheNodeCount) {
  // Mean readout + one linear layer: ∂y_c/∂F_{n,k} = W_{c,k} / N for every node, so α_k =
  // W_{c,k} / N and grad-cam = ReLU(Σ_k W_{c,k} F_{n,k}) / N = cam / N.
  auto model = graph_model();
  const auto graphs = graph_set();
  for (int64_t c = 0; c < 2; ++c) {
    const auto cam = Cam(TargetOptions().explained_class(c)).explain_graphs(*model, graphs);
    const auto gc = GradCam(GradCamOptions().layer(-1), TargetOptions().explained_class(c))
                        .explain_graphs(*model, graphs);
    for (size_t i = 0; i < graphs.size(); ++i) {
      const double n = static_cast<double>(graphs[i].num_nodes());
      expect_close(cam[i].node_mask, gc[i].node_mask * n, 1e-6, "cam vs grad-cam");
      expect_close(cam[i].edge_mask, gc[i].edge_mask * n, 1e-6, "cam vs grad-cam edges");
    }
  }
}

// Grad-CAM of `layers` averaged, by its definition on the whole parent graph: F^l as the full
// graph computes it (a node target's computation subgraph of L hops gives nodes more than
// L − l − 1 hops out activations the full-graph model never computes), α_k the mean of
// ∂y_c/∂F^l_{n,k} over the target's subgraph (zero outside what reaches the target).
std::pair<torch::Tensor, torch::Tensor> grad_cam_reference(const Explanation& e,
                                                           gnn::GnnModel& model,
                                                           const Graph& parent,
                                                           const std::vector<int64_t>& layers) {
  const DenseRef full(model, parent, torch::arange(parent.num_nodes(), torch::kLong),
                      torch::arange(parent.num_edges(), torch::kLong));
  const auto pass = full.forward(full.x(), full.ones());
  const int64_t target = e.task == gnn::Task::kNodeClassification ? e.target : 0;
  const auto g = full.backward(full.x(), full.ones(), target, e.explained_class, Rule::kStandard);
  auto node = torch::zeros({e.node_ids.numel()}, torch::kDouble);
  for (int64_t l : layers) {
    const auto f = pass.a[l].index_select(0, e.node_ids);
    const auto alpha = g.by_act[l].index_select(0, e.node_ids).mean(0);
    node += torch::relu(torch::matmul(f, alpha));
  }
  node /= static_cast<double>(layers.size());
  const DenseRef sub(model, parent, e.node_ids, e.edge_ids);
  return {node, edge_min(sub, node)};
}

TEST_F(GradientMethodsTest, GradCamReadsTheFullGraphsActivations) {
  for (int64_t layer : {0, 1}) {
    check_against_model_reference(
        [layer](const TargetOptions& t) {
          return std::make_unique<GradCam>(GradCamOptions().layer(layer), t);
        },
        [layer](const Explanation& e, gnn::GnnModel& model, const Graph& parent) {
          return grad_cam_reference(e, model, parent, {layer});
        });
  }
}

TEST_F(GradientMethodsTest, GradCamAvgIsTheMeanOverLayers) {
  check_against_model_reference(
      [](const TargetOptions& t) { return std::make_unique<GradCamAvg>(t); },
      [](const Explanation& e, gnn::GnnModel& model, const Graph& parent) {
        return grad_cam_reference(e, model, parent, {0, 1});
      });
}

// On the path 0-1-2-3 with two layers, target 0's computation subgraph is {0, 1, 2}: node 2's
// layer-0 activation there lacks node 3's message. The map must use the full graph's.
TEST_F(GradientMethodsTest, GradCamOnANodeTargetUsesTheFullGraphsLayerOutput) {
  auto model = node_model(/*positive=*/true);
  const Graph graph = path_graph();
  const auto e = GradCam(GradCamOptions().layer(0)).explain_nodes(*model, graph, {0}).at(0);
  ASSERT_TRUE(torch::equal(e.node_ids, torch::tensor({0, 1, 2}, torch::kLong)));
  const gnn::GcnAdjacency adj(graph);
  gnn::ModelInput input;
  input.x = graph.x();
  input.adj = &adj;
  torch::Tensor f;
  {
    torch::NoGradGuard no_grad;
    f = model->run(input, {}).embeddings[0].to(torch::kDouble);  // [4, H], the full graph's
  }
  // With positive weights every α_k > 0 and F ≥ 0, so the map is α · F_n: node 2's share of
  // node 0's follows the full graph's rows.
  const auto ratio = e.node_mask[2].item<double>() / e.node_mask[0].item<double>();
  const DenseRef full(*model, graph, torch::arange(4, torch::kLong),
                      torch::arange(6, torch::kLong));
  const auto g = full.backward(full.x(), full.ones(), 0, e.explained_class, Rule::kStandard);
  const auto alpha = g.by_act[0].index_select(0, e.node_ids).mean(0);
  EXPECT_NEAR(ratio, (torch::dot(f[2], alpha) / torch::dot(f[0], alpha)).item<double>(), 1e-5);
}

// --- excitation backprop -----------------------------------------------------------------------

TEST_F(GradientMethodsTest, ExcitationBackpropMatchesItsDefinition) {
  check_against_reference(
      [](const TargetOptions& t) {
        return std::make_unique<ExcitationBackprop>(ExcitationBackpropOptions(), t);
      },
      [](const Explanation& e, const DenseRef& ref) {
        return ref.excitation(local_target(e), e.explained_class, 1.0);
      },
      1e-6);
}

TEST_F(GradientMethodsTest, ContrastiveExcitationBackpropMatchesItsDefinition) {
  check_against_reference(
      [](const TargetOptions& t) {
        return std::make_unique<ExcitationBackprop>(ExcitationBackpropOptions().contrastive(true),
                                                    t);
      },
      [](const Explanation& e, const DenseRef& ref) {
        const auto pos = ref.excitation(local_target(e), e.explained_class, 1.0);
        const auto neg = ref.excitation(local_target(e), e.explained_class, -1.0);
        return std::make_pair(torch::relu(pos.first - neg.first),
                              torch::relu(pos.second - neg.second));
      },
      1e-6);
}

// The original GNNExplainer layer's raw sums (Tree-Cycles', Tree-Grid's and BA-2Motifs' models):
// EB's Â is the layer's own, not Kipf & Welling's normalisation.
TEST_F(GradientMethodsTest, ExcitationBackpropFollowsTheLayersRawSums) {
  for (auto aggregation : {gnn::Aggregation::kSum, gnn::Aggregation::kSumSelf}) {
    for (auto task : {gnn::Task::kNodeClassification, gnn::Task::kGraphClassification}) {
      ModelSpec spec = base_spec(task);
      spec.aggregation = aggregation;
      std::shared_ptr<gnn::GnnModel> model;
      if (task == gnn::Task::kNodeClassification) {
        model = std::make_shared<gnn::NodeClassifierImpl>(spec);
      } else {
        model = std::make_shared<gnn::GraphClassifierImpl>(spec);
      }
      set_parameters(*model);
      const std::vector<Graph> graphs =
          task == gnn::Task::kNodeClassification ? std::vector<Graph>{path_graph()} : graph_set();
      const ExcitationBackprop eb;
      const auto explanations = task == gnn::Task::kNodeClassification
                                    ? eb.explain_nodes(*model, graphs[0], node_targets())
                                    : eb.explain_graphs(*model, graphs);
      ASSERT_FALSE(explanations.empty());
      for (const auto& e : explanations) {
        const DenseRef ref(*model, parent_of(e, graphs), e.node_ids, e.edge_ids);
        const auto [node, edge] = ref.excitation(local_target(e), e.explained_class, 1.0);
        const std::string what =
            gnn::to_string(aggregation) + " target " + std::to_string(e.target);
        expect_close(e.node_mask, node, 1e-6, what + " node mask");
        expect_close(e.edge_mask, edge, 1e-6, what + " edge mask");
      }
    }
  }
}

TEST_F(GradientMethodsTest, ExcitationBackpropConservesProbability) {
  // With positive weights no unit is starved, so all of P(y_c) = 1 reaches the input layer.
  auto nodes = node_model(/*positive=*/true);
  for (const auto& e : ExcitationBackprop().explain_nodes(*nodes, path_graph(), node_targets())) {
    EXPECT_NEAR(e.node_mask.sum().item<double>(), 1.0, 1e-5);
    EXPECT_GE(e.edge_mask.min().item<double>(), 0.0);
  }
  auto graphs_model = graph_model(gnn::Readout::kMean, 0, /*positive=*/true);
  for (const auto& e : ExcitationBackprop().explain_graphs(*graphs_model, graph_set())) {
    EXPECT_NEAR(e.node_mask.sum().item<double>(), 1.0, 1e-5);
  }
  for (auto readout : {gnn::Readout::kMax, gnn::Readout::kSum}) {
    auto m = graph_model(readout, /*mlp_hidden=*/4, /*positive=*/true);
    for (const auto& e : ExcitationBackprop().explain_graphs(*m, graph_set())) {
      EXPECT_NEAR(e.node_mask.sum().item<double>(), 1.0, 1e-5) << gnn::to_string(readout);
    }
  }
}

// --- batching ----------------------------------------------------------------------------------

TEST_F(GradientMethodsTest, BatchedEqualsOneTargetAtATime) {
  MethodOptions options;
  options.samples = 3;
  options.steps = 4;
  options.dropout = 0.3;
  options.seed = 5;
  auto nodes = node_model();
  auto graphs_model = graph_model();
  const Graph g = path_graph();
  const auto graphs = graph_set();
  for (const auto& info : methods()) {
    if (info.name == "gnnexplainer") continue;
    MethodOptions one = options;
    one.batch_size = 1;
    std::vector<std::pair<std::vector<Explanation>, std::vector<Explanation>>> runs;
    if (info.name != "cam") {
      runs.emplace_back(info.make(options)->explain_nodes(*nodes, g, node_targets()),
                        info.make(one)->explain_nodes(*nodes, g, node_targets()));
    }
    runs.emplace_back(info.make(options)->explain_graphs(*graphs_model, graphs),
                      info.make(one)->explain_graphs(*graphs_model, graphs));
    for (const auto& [all, single] : runs) {
      ASSERT_EQ(all.size(), single.size()) << info.name;
      for (size_t i = 0; i < all.size(); ++i) {
        EXPECT_EQ(all[i].method, info.name);
        EXPECT_EQ(all[i].target, single[i].target);
        EXPECT_TRUE(torch::equal(all[i].node_ids, single[i].node_ids)) << info.name;
        expect_close(all[i].node_mask, single[i].node_mask, 1e-6, info.name + " nodes");
        expect_close(all[i].edge_mask, single[i].edge_mask, 1e-6, info.name + " edges");
      }
    }
  }
}

// --- errors ------------------------------------------------------------------------------------

template <typename F>
std::string input_error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

TEST_F(GradientMethodsTest, CamNeedsMeanReadoutAndLinearHead) {
  auto nodes = node_model();
  EXPECT_NE(input_error_of([&] {
              Cam().explain_nodes(*nodes, path_graph(), node_targets());
            }).find("node classifier has no pooling"),
            std::string::npos);
  auto max_model = graph_model(gnn::Readout::kMax);
  EXPECT_NE(
      input_error_of([&] { Cam().explain_graphs(*max_model, graph_set()); }).find("max readout"),
      std::string::npos);
  auto mlp_model = graph_model(gnn::Readout::kMean, /*mlp_hidden=*/4);
  EXPECT_NE(
      input_error_of([&] { Cam().explain_graphs(*mlp_model, graph_set()); }).find("mlp_hidden = 0"),
      std::string::npos);
  auto sum_model = graph_model(gnn::Readout::kSum);
  EXPECT_NO_THROW(Cam().explain_graphs(*sum_model, graph_set()));
}

TEST_F(GradientMethodsTest, ClearErrors) {
  auto nodes = node_model();
  auto graphs_model = graph_model();
  const Graph g = path_graph();
  EXPECT_NE(input_error_of([&] {
              GradCam(GradCamOptions().layer(2)).explain_graphs(*graphs_model, graph_set());
            }).find("layer 2 is out of range for a model with 2 GCN layers"),
            std::string::npos);
  EXPECT_NE(input_error_of([&] {
              Saliency(SaliencyOptions(), TargetOptions().explained_class(2))
                  .explain_nodes(*nodes, g, node_targets());
            }).find("explained class 2 is out of range"),
            std::string::npos);
  EXPECT_NE(input_error_of([&] {
              Saliency().explain_graphs(*nodes, graph_set());
            }).find("needs a graph-classification model"),
            std::string::npos);
  EXPECT_NE(input_error_of([&] {
              Saliency().explain_nodes(*nodes, g, torch::tensor({4}));
            }).find("saliency: node 4 is out of range"),
            std::string::npos);
  EXPECT_THROW(IntegratedGradients(IntegratedGradientsOptions().steps(0)), InputError);
  EXPECT_THROW(SmoothGrad(SmoothGradOptions().samples(0)), InputError);
  EXPECT_THROW(BayesGrad(BayesGradOptions().dropout(1.0)), InputError);
  const Graph negative = g.with_features(g.x() - 0.5);
  EXPECT_NE(input_error_of([&] {
              ExcitationBackprop().explain_nodes(*nodes, negative, node_targets());
            }).find("non-negative node features"),
            std::string::npos);
  EXPECT_NE(input_error_of([&] {
              Saliency(SaliencyOptions(), TargetOptions().mode(ExplainMode::kPhenomenon))
                  .explain_graphs(*graphs_model, {g.with_labels({})});
            }).find("phenomenon mode needs a label on graph 0"),
            std::string::npos);
}

// A GnnModel that is neither of gnnx's classifiers and offers none of the optional hooks (an
// imported model whose layers are not gnnx's would say so in its description).
class ForeignModel : public gnn::GnnModel {
 public:
  ForeignModel()
      : GnnModel(base_spec(gnn::Task::kNodeClassification)),
        inner_(std::make_shared<gnn::NodeClassifierImpl>(spec_)) {
    register_module("inner", inner_);
  }
  gnn::ModelDescription describe() const override {
    gnn::ModelDescription d = inner_->describe();
    d.relu_rules = false;
    d.dropout_masks = false;
    d.layer_graphs = false;
    for (auto& layer : d.layers) layer.linear_message = false;
    return d;
  }
  gnn::ModelOutput run(const gnn::ModelInput& input, const gnn::ForwardHooks& hooks) override {
    TORCH_CHECK(hooks.relu == gnn::ReluRule::kStandard && hooks.dropout_masks.empty() &&
                    hooks.layer_graphs.empty(),
                "ForeignModel: no hooks");
    return inner_->run(input);
  }
  torch::Tensor layer_weight(int64_t /*layer*/) const override {
    TORCH_CHECK(false, "ForeignModel: no linear messages");
  }
  std::vector<gnn::DenseLayer> head_layers() const override { return inner_->head_layers(); }

 private:
  std::shared_ptr<gnn::NodeClassifierImpl> inner_;
};

TEST_F(GradientMethodsTest, ReplayingMethodsNeedGnnxClassifiers) {
  ForeignModel model;
  const Graph g = path_graph();
  EXPECT_NO_THROW(Saliency().explain_nodes(model, g, node_targets()));
  EXPECT_NO_THROW(Occlusion().explain_nodes(model, g, node_targets()));
  EXPECT_NO_THROW(GradCam().explain_nodes(model, g, node_targets()));
  for (const char* name : {"guided-backprop", "deconvolution", "eb", "bayesgrad"}) {
    EXPECT_NE(input_error_of([&] {
                make_explainer(name, MethodOptions())->explain_nodes(model, g, node_targets());
              }).find("needs a gnnx NodeClassifier or GraphClassifier"),
              std::string::npos)
        << name;
  }
}

// --- registry, metadata, contrastivity ---------------------------------------------------------

TEST_F(GradientMethodsTest, RegistryHasTheWholeFamily) {
  for (const char* name : {"saliency", "input-x-gradient", "integrated-gradients", "smoothgrad",
                           "guided-backprop", "deconvolution", "occlusion", "cam", "grad-cam",
                           "grad-cam-avg", "eb", "contrastive-eb", "bayesgrad"}) {
    EXPECT_EQ(make_explainer(name, MethodOptions())->name(), name);
  }
}

TEST_F(GradientMethodsTest, ExplanationsCarryTheirMetadata) {
  auto model = node_model();
  const Graph g = path_graph();
  MethodOptions options;
  options.steps = 3;
  options.mode = ExplainMode::kPhenomenon;
  const auto out =
      make_explainer("integrated-gradients", options)->explain_nodes(*model, g, node_targets());
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].explained_class, 0);  // the label of node 0
  EXPECT_EQ(out[1].explained_class, 1);
  EXPECT_EQ(out[2].explained_class, 0);
  EXPECT_EQ(out[0].options.at("steps"), "3");
  EXPECT_EQ(out[0].options.at("mode"), "phenomenon");
  // Node 0's 2-hop computation subgraph is {0, 1, 2} with its four edges.
  EXPECT_TRUE(torch::equal(out[0].node_ids, torch::tensor({0, 1, 2}, torch::kLong)));
  EXPECT_EQ(out[0].edge_ids.numel(), 4);
  EXPECT_EQ(out[0].node_mask.scalar_type(), torch::kFloat);
}

TEST_F(GradientMethodsTest, ProgressIsMonotoneAndEndsAtTheTotal) {
  auto model = node_model();
  for (const char* name : {"integrated-gradients", "occlusion", "saliency"}) {
    std::vector<std::pair<int64_t, int64_t>> calls;
    MethodOptions options;
    options.steps = 3;
    options.batch_size = 2;
    options.progress = [&](int64_t done, int64_t total) { calls.emplace_back(done, total); };
    make_explainer(name, options)->explain_nodes(*model, path_graph(), node_targets());
    ASSERT_FALSE(calls.empty()) << name;
    for (size_t i = 1; i < calls.size(); ++i) {
      EXPECT_GE(calls[i].first, calls[i - 1].first) << name;
      EXPECT_EQ(calls[i].second, calls[0].second) << name;
    }
    EXPECT_EQ(calls.back().first, calls.back().second) << name;
  }
}

TEST_F(GradientMethodsTest, ContrastivityByHand) {
  auto make = [](const std::vector<float>& mask) {
    Explanation e;
    e.task = gnn::Task::kGraphClassification;
    e.target = 0;
    e.node_ids = torch::arange(static_cast<int64_t>(mask.size()), torch::kLong);
    e.node_mask = torch::tensor(mask);
    return e;
  };
  // Marked (score / max > 0.01): a = {0, 1}, b = {1, 2} -> Hamming 2, union 3.
  const std::vector<Explanation> a = {make({1.0f, 0.5f, 0.001f, 0.0f})};
  const std::vector<Explanation> b = {make({0.0f, 2.0f, 1.0f, 0.01f})};
  EXPECT_NEAR(contrastivity(a, b), 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(contrastivity(a, a), 0.0, 1e-12);
  // A pair where neither marks a node is skipped.
  const std::vector<Explanation> a2 = {a[0], make({0.0f, 0.0f, 0.0f, 0.0f})};
  const std::vector<Explanation> b2 = {b[0], make({0.0f, -1.0f, 0.0f, 0.0f})};
  EXPECT_NEAR(contrastivity(a2, b2), 2.0 / 3.0, 1e-12);
  EXPECT_TRUE(std::isnan(contrastivity({a2[1]}, {b2[1]})));
  EXPECT_THROW(contrastivity(a, a2), InputError);
}

TEST_F(GradientMethodsTest, ContrastivityOfTwoClassesOnAModel) {
  auto model = graph_model();
  const auto graphs = graph_set();
  const auto c0 =
      GradCam(GradCamOptions(), TargetOptions().explained_class(0)).explain_graphs(*model, graphs);
  const auto c1 =
      GradCam(GradCamOptions(), TargetOptions().explained_class(1)).explain_graphs(*model, graphs);
  const double value = contrastivity(c0, c1);
  if (!std::isnan(value)) {
    EXPECT_GE(value, 0.0);
    EXPECT_LE(value, 1.0);
  }
}

}  // namespace
}  // namespace gnnx::explainers::gradient_test
