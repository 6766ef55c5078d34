// The gradient family against the dense float64 reference of gradient_reference.h on 3-4 node
// graphs with hand-set weights: saliency, input x gradient, guided backprop, deconvolution,
// integrated gradients, SmoothGrad and BayesGrad.

#include "explainers/gradient_reference.h"

namespace gnnx::explainers::gradient_test {
namespace {

TEST_F(GradientMethodsTest, HandWrittenBackwardMatchesAutograd) {
  auto model = node_model();
  const Graph g = path_graph();
  const DenseRef ref(*model, g, torch::arange(4, torch::kLong), torch::arange(6, torch::kLong));
  auto x = ref.x().clone().requires_grad_(true);
  auto w = ref.ones().clone().requires_grad_(true);
  const auto y = ref.forward(x, w).logits[1][0];
  const auto grads = torch::autograd::grad({y}, {x, w});
  const auto manual = ref.backward(ref.x(), ref.ones(), 1, 0, Rule::kStandard);
  expect_close(manual.x, grads[0], 1e-12, "dx");
  expect_close(manual.w, grads[1], 1e-12, "dw");
  // And the library's model agrees with the reference's forward.
  const auto logits = model->logits(g.x(), gnn::GcnAdjacency(g));
  expect_close(logits, ref.forward(ref.x(), ref.ones()).logits, 1e-5, "logits");
}

// --- plain gradients ---------------------------------------------------------------------------

TEST_F(GradientMethodsTest, SaliencyMatchesDenseReference) {
  check_against_reference(
      [](const TargetOptions& t) { return std::make_unique<Saliency>(SaliencyOptions(), t); },
      [](const Explanation& e, const DenseRef& ref) {
        const auto g =
            ref.backward(ref.x(), ref.ones(), local_target(e), e.explained_class, Rule::kStandard);
        return std::make_pair(row_norm(g.x), g.w.abs());
      });
}

TEST_F(GradientMethodsTest, ContrastiveGradientKeepsThePositivePart) {
  check_against_reference(
      [](const TargetOptions& t) {
        return std::make_unique<Saliency>(SaliencyOptions().contrastive(true), t);
      },
      [](const Explanation& e, const DenseRef& ref) {
        const auto g =
            ref.backward(ref.x(), ref.ones(), local_target(e), e.explained_class, Rule::kStandard);
        return std::make_pair(row_norm(torch::relu(g.x)), torch::relu(g.w));
      });
}

TEST_F(GradientMethodsTest, InputXGradientMatchesDenseReference) {
  check_against_reference(
      [](const TargetOptions& t) { return std::make_unique<InputXGradient>(t); },
      [](const Explanation& e, const DenseRef& ref) {
        const auto g =
            ref.backward(ref.x(), ref.ones(), local_target(e), e.explained_class, Rule::kStandard);
        return std::make_pair((ref.x() * g.x).sum(1), g.w);
      });
}

TEST_F(GradientMethodsTest, GuidedBackpropMatchesDenseReference) {
  check_against_reference(
      [](const TargetOptions& t) { return std::make_unique<GuidedBackprop>(t); },
      [](const Explanation& e, const DenseRef& ref) {
        const auto g =
            ref.backward(ref.x(), ref.ones(), local_target(e), e.explained_class, Rule::kGuided);
        return std::make_pair(row_norm(g.x), g.w.abs());
      });
}

TEST_F(GradientMethodsTest, DeconvolutionMatchesDenseReference) {
  check_against_reference([](const TargetOptions& t) { return std::make_unique<Deconvolution>(t); },
                          [](const Explanation& e, const DenseRef& ref) {
                            const auto g = ref.backward(ref.x(), ref.ones(), local_target(e),
                                                        e.explained_class, Rule::kDeconvolution);
                            return std::make_pair(row_norm(g.x), g.w.abs());
                          });
}

TEST_F(GradientMethodsTest, GuidedAndDeconvolutionDifferFromPlainGradients) {
  // Guards the reference comparisons against a model where all three rules coincide.
  auto model = node_model();
  const Graph g = path_graph();
  const auto plain = Saliency().explain_nodes(*model, g, node_targets());
  const auto guided = GuidedBackprop().explain_nodes(*model, g, node_targets());
  const auto deconv = Deconvolution().explain_nodes(*model, g, node_targets());
  bool guided_differs = false, deconv_differs = false;
  for (size_t i = 0; i < plain.size(); ++i) {
    guided_differs |= !torch::allclose(plain[i].node_mask, guided[i].node_mask);
    deconv_differs |= !torch::allclose(plain[i].node_mask, deconv[i].node_mask);
  }
  EXPECT_TRUE(guided_differs);
  EXPECT_TRUE(deconv_differs);
}

// --- integrated gradients ----------------------------------------------------------------------

constexpr int64_t kSteps = 7;  // few, so that the quadrature differs from the exact integral

// Integrated gradients from the dense reference with points α_i and weights w_i on [0, 1].
std::pair<torch::Tensor, torch::Tensor> ig_reference(const Explanation& e, const DenseRef& ref,
                                                     const std::vector<double>& points,
                                                     const std::vector<double>& weights) {
  auto node = torch::zeros_like(ref.x());
  auto edge = torch::zeros_like(ref.ones());
  for (size_t i = 0; i < points.size(); ++i) {
    const double a = points[i];
    node += weights[i] * ref.backward(a * ref.x(), ref.ones(), local_target(e), e.explained_class,
                                      Rule::kStandard)
                             .x;
    edge += weights[i] * ref.backward(ref.x(), a * ref.ones(), local_target(e), e.explained_class,
                                      Rule::kStandard)
                             .w;
  }
  return {(ref.x() * node).sum(1), edge};
}

TEST_F(GradientMethodsTest, IntegratedGradientsMatchesTrapezoidReference) {
  std::vector<double> points, weights;
  for (int64_t k = 0; k <= kSteps; ++k) {
    points.push_back(double(k) / kSteps);
    weights.push_back((k == 0 || k == kSteps ? 0.5 : 1.0) / kSteps);
  }
  check_against_reference(
      [](const TargetOptions& t) {
        return std::make_unique<IntegratedGradients>(
            IntegratedGradientsOptions().steps(kSteps).rule(IntegrationRule::kTrapezoid), t);
      },
      [&](const Explanation& e, const DenseRef& ref) {
        return ig_reference(e, ref, points, weights);
      });
}

TEST_F(GradientMethodsTest, IntegratedGradientsMatchesGaussLegendreReference) {
  // The tabulated three-point rule on [0, 1].
  const double s = std::sqrt(0.6);
  const std::vector<double> points = {(1 - s) / 2, 0.5, (1 + s) / 2};
  const std::vector<double> weights = {5.0 / 18, 8.0 / 18, 5.0 / 18};
  check_against_reference(
      [](const TargetOptions& t) {
        return std::make_unique<IntegratedGradients>(
            IntegratedGradientsOptions().steps(3).rule(IntegrationRule::kGaussLegendre), t);
      },
      [&](const Explanation& e, const DenseRef& ref) {
        return ig_reference(e, ref, points, weights);
      });
}

// A three-layer GCN with positive weights and biases on non-negative features keeps every ReLU
// on along both paths, so the logit is a cubic in the edge path's α (each layer's messages are
// linear in the mask) and ∂y/∂w_e(α·1) a quadratic: its integral has the closed form
// (g(0) + 4 g(1/2) + g(1)) / 6 (Simpson, exact for quadratics). Two Gauss–Legendre points are
// exact for cubics; two trapezoid intervals are not. Along the node path the logit is affine
// in α, which both rules integrate exactly.
TEST_F(GradientMethodsTest, GaussLegendreIntegratesAPolynomialPathExactly) {
  ModelSpec spec = base_spec(gnn::Task::kNodeClassification);
  spec.num_layers = 3;
  auto model = std::make_shared<gnn::NodeClassifierImpl>(spec);
  set_parameters(*model, 0.9, 0.05, /*positive=*/true);
  const Graph g = path_graph();
  const TargetOptions target = TargetOptions().explained_class(1);
  for (IntegrationRule rule : {IntegrationRule::kGaussLegendre, IntegrationRule::kTrapezoid}) {
    const IntegratedGradients ig(IntegratedGradientsOptions().steps(2).rule(rule), target);
    for (const auto& e : ig.explain_nodes(*model, g, node_targets())) {
      const DenseRef ref(*model, g, e.node_ids, e.edge_ids);
      const int64_t t = local_target(e);
      auto exact = torch::zeros_like(ref.ones());
      const std::vector<std::pair<double, double>> simpson = {
          {0.0, 1.0 / 6}, {0.5, 4.0 / 6}, {1.0, 1.0 / 6}};
      for (const auto& [a, w] : simpson) {
        exact += w * ref.backward(ref.x(), a * ref.ones(), t, 1, Rule::kStandard).w;
      }
      const double logit = ref.logit(ref.x(), ref.ones(), t, 1);
      const double edge_gap =
          e.edge_mask.sum().item<double>() - (logit - ref.logit(ref.x(), 0 * ref.ones(), t, 1));
      const double node_gap =
          e.node_mask.sum().item<double>() - (logit - ref.logit(0 * ref.x(), ref.ones(), t, 1));
      const std::string what = to_string(rule) + " node " + std::to_string(e.target);
      // The gaps the explanation reports are its own sums against the logit differences.
      EXPECT_NEAR(e.diagnostics.at("completeness_gap_edges"), edge_gap, 1e-4) << what;
      EXPECT_NEAR(e.diagnostics.at("completeness_gap_nodes"), node_gap, 1e-4) << what;
      EXPECT_NEAR(node_gap, 0.0, 1e-4) << what;
      if (rule == IntegrationRule::kGaussLegendre) {
        expect_close(e.edge_mask, exact, 1e-5, what + " edge mask");
        EXPECT_NEAR(edge_gap, 0.0, 1e-4) << what;
      } else {
        EXPECT_FALSE(torch::allclose(e.edge_mask.to(torch::kDouble), exact, 1e-4, 1e-5)) << what;
        EXPECT_GT(std::abs(edge_gap), 1e-3) << what;
      }
    }
  }
}

TEST_F(GradientMethodsTest, IntegratedGradientsIsComplete) {
  // Σ attributions = f(x) − f(baseline) along each path, within 1e-3 with enough steps.
  IntegratedGradients ig(IntegratedGradientsOptions().steps(1000),
                         TargetOptions().explained_class(1));
  {
    auto model = node_model();
    const Graph g = path_graph();
    for (const auto& e : ig.explain_nodes(*model, g, node_targets())) {
      const DenseRef ref(*model, g, e.node_ids, e.edge_ids);
      const int64_t t = local_target(e);
      const double f = ref.logit(ref.x(), ref.ones(), t, 1);
      EXPECT_NEAR(e.node_mask.sum().item<double>(),
                  f - ref.logit(torch::zeros_like(ref.x()), ref.ones(), t, 1), 1e-3);
      EXPECT_NEAR(e.edge_mask.sum().item<double>(),
                  f - ref.logit(ref.x(), torch::zeros_like(ref.ones()), t, 1), 1e-3);
    }
  }
  {
    auto model = graph_model();
    const auto graphs = graph_set();
    for (const auto& e : ig.explain_graphs(*model, graphs)) {
      const DenseRef ref(*model, graphs[e.target], e.node_ids, e.edge_ids);
      const double f = ref.logit(ref.x(), ref.ones(), 0, 1);
      EXPECT_NEAR(e.node_mask.sum().item<double>(),
                  f - ref.logit(torch::zeros_like(ref.x()), ref.ones(), 0, 1), 1e-3);
      EXPECT_NEAR(e.edge_mask.sum().item<double>(),
                  f - ref.logit(ref.x(), torch::zeros_like(ref.ones()), 0, 1), 1e-3);
    }
  }
}

TEST_F(GradientMethodsTest, IntegratedGradientsBaselineIsAPerFeatureRow) {
  auto model = graph_model();
  const auto graphs = graph_set();
  const auto baseline = torch::tensor({0.5, -0.25});
  IntegratedGradients ig(IntegratedGradientsOptions().steps(1000).baseline(baseline),
                         TargetOptions().explained_class(0));
  for (const auto& e : ig.explain_graphs(*model, graphs)) {
    const DenseRef ref(*model, graphs[e.target], e.node_ids, e.edge_ids);
    const auto base = torch::zeros_like(ref.x()) + baseline.to(torch::kDouble);
    EXPECT_NEAR(e.node_mask.sum().item<double>(),
                ref.logit(ref.x(), ref.ones(), 0, 0) - ref.logit(base, ref.ones(), 0, 0), 1e-3);
  }
  IntegratedGradients bad(IntegratedGradientsOptions().baseline(torch::zeros({3})));
  EXPECT_THROW(bad.explain_graphs(*model, graphs), InputError);
}

// --- SmoothGrad --------------------------------------------------------------------------------

TEST_F(GradientMethodsTest, SmoothGradWithoutNoiseIsSaliency) {
  check_against_reference(
      [](const TargetOptions& t) {
        return std::make_unique<SmoothGrad>(SmoothGradOptions().noise_level(0).samples(3), t);
      },
      [](const Explanation& e, const DenseRef& ref) {
        const auto g =
            ref.backward(ref.x(), ref.ones(), local_target(e), e.explained_class, Rule::kStandard);
        return std::make_pair(row_norm(g.x), g.w.abs());
      });
}

TEST_F(GradientMethodsTest, SmoothGradIsSeededAndDiffersFromSaliency) {
  auto model = graph_model();
  const auto graphs = graph_set();
  const auto a = SmoothGrad(SmoothGradOptions().samples(8).seed(3)).explain_graphs(*model, graphs);
  const auto b = SmoothGrad(SmoothGradOptions().samples(8).seed(3)).explain_graphs(*model, graphs);
  const auto c = SmoothGrad(SmoothGradOptions().samples(8).seed(4)).explain_graphs(*model, graphs);
  const auto s = Saliency().explain_graphs(*model, graphs);
  bool seed_matters = false, noise_matters = false;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(torch::equal(a[i].node_mask, b[i].node_mask));
    EXPECT_TRUE(torch::equal(a[i].edge_mask, b[i].edge_mask));
    seed_matters |= !torch::allclose(a[i].node_mask, c[i].node_mask);
    noise_matters |= !torch::allclose(a[i].node_mask, s[i].node_mask);
  }
  EXPECT_TRUE(seed_matters);
  EXPECT_TRUE(noise_matters);
}

// --- BayesGrad ---------------------------------------------------------------------------------

TEST_F(GradientMethodsTest, BayesGradWithoutDropoutIsSquaredSaliency) {
  check_against_reference(
      [](const TargetOptions& t) {
        return std::make_unique<BayesGrad>(BayesGradOptions().dropout(0).samples(4), t);
      },
      [](const Explanation& e, const DenseRef& ref) {
        const auto g =
            ref.backward(ref.x(), ref.ones(), local_target(e), e.explained_class, Rule::kStandard);
        return std::make_pair(g.x.pow(2).sum(1), g.w.pow(2));
      });
  auto model = node_model();
  for (const auto& e : BayesGrad(BayesGradOptions().dropout(0).samples(4))
                           .explain_nodes(*model, path_graph(), node_targets())) {
    ASSERT_TRUE(e.node_uncertainty.defined());
    EXPECT_EQ(e.node_uncertainty.abs().max().item<float>(), 0.0f);
  }
}

TEST_F(GradientMethodsTest, BayesGradGradientTimesInput) {
  check_against_reference(
      [](const TargetOptions& t) {
        return std::make_unique<BayesGrad>(
            BayesGradOptions().dropout(0).samples(2).gradient_x_input(true), t);
      },
      [](const Explanation& e, const DenseRef& ref) {
        const auto g =
            ref.backward(ref.x(), ref.ones(), local_target(e), e.explained_class, Rule::kStandard);
        return std::make_pair((g.x * ref.x()).pow(2).sum(1), g.w.pow(2));
      });
}

TEST_F(GradientMethodsTest, BayesGradReplayMatchesTheModel) {
  // A dropout rate of 1e-9 keeps every unit (scale 1 + 1e-9) but goes through the replayed
  // forward pass with explicit masks: it must agree with the model's own pass.
  check_against_reference(
      [](const TargetOptions& t) {
        return std::make_unique<BayesGrad>(BayesGradOptions().dropout(1e-9).samples(2), t);
      },
      [](const Explanation& e, const DenseRef& ref) {
        const auto g =
            ref.backward(ref.x(), ref.ones(), local_target(e), e.explained_class, Rule::kStandard);
        return std::make_pair(g.x.pow(2).sum(1), g.w.pow(2));
      });
}

TEST_F(GradientMethodsTest, BayesGradIsSeededAndReportsUncertainty) {
  auto model = node_model();
  const Graph g = path_graph();
  const BayesGradOptions options = BayesGradOptions().dropout(0.5).samples(16).seed(7);
  const auto a = BayesGrad(options).explain_nodes(*model, g, node_targets());
  const auto b = BayesGrad(options).explain_nodes(*model, g, node_targets());
  double spread = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(torch::equal(a[i].node_mask, b[i].node_mask));
    EXPECT_TRUE(torch::equal(a[i].node_uncertainty, b[i].node_uncertainty));
    EXPECT_EQ(a[i].node_uncertainty.numel(), a[i].node_ids.numel());
    spread += a[i].node_uncertainty.sum().item<double>();
    EXPECT_EQ(a[i].options.at("dropout"), "0.5");
  }
  EXPECT_GT(spread, 0.0);
  // The model's mode is restored.
  model->train();
  BayesGrad(options).explain_nodes(*model, g, node_targets());
  EXPECT_TRUE(model->is_training());
}

TEST_F(GradientMethodsTest, BayesGradDefaultDropout) {
  auto model = node_model();  // spec.dropout = 0
  const auto e = BayesGrad(BayesGradOptions().samples(2))
                     .explain_nodes(*model, path_graph(), torch::tensor({1}));
  EXPECT_EQ(e[0].options.at("dropout"), c10::str(BayesGradOptions::kDefaultDropout));
}

// --- occlusion ---------------------------------------------------------------------------------

}  // namespace
}  // namespace gnnx::explainers::gradient_test
