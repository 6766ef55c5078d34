// The gradient family against an independent dense float64 reference on 3–4 node graphs with
// hand-set weights: the reference builds Â as a dense matrix from the parent graph's degrees,
// runs the layers with plain matmuls and back-propagates by hand (with the standard, guided or
// deconvolution ReLU rule); excitation backprop is checked against a loop over its definition.

#include <gnnx/explainers/explainer.h>
#include <gnnx/explainers/gradient_methods.h>
#include <gnnx/explainers/metrics.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/models.h>
#include <gtest/gtest.h>
#include <torch/autograd.h>

#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gnnx::explainers {
namespace {

using gnn::Graph;
using gnn::ModelSpec;

class GradientMethodsTest : public ::testing::Test {
 protected:
  void SetUp() override { torch::manual_seed(0); }
};

// --- tiny graphs and hand-set models -----------------------------------------------------------

// 0 - 1 - 2 - 3 (both directions; edge ids deliberately not in CSR order). Non-negative
// features, as excitation backprop needs.
Graph path_graph() {
  const auto ei = torch::tensor({{1, 0, 2, 1, 3, 2}, {0, 1, 1, 2, 2, 3}}, torch::kLong);
  const auto x = torch::tensor({{1.0, 0.0}, {0.0, 1.0}, {1.0, 1.0}, {0.5, 2.0}}, torch::kFloat);
  return Graph(4, ei, x, torch::tensor({0, 1, 1, 0}, torch::kLong));
}

// A triangle 1-2-3 with a pendant 0.
Graph triangle_graph() {
  const auto ei = torch::tensor({{0, 1, 1, 2, 2, 3, 3, 1}, {1, 0, 2, 1, 3, 2, 1, 3}}, torch::kLong);
  const auto x = torch::tensor({{0.2, 1.0}, {1.0, 0.5}, {0.0, 1.5}, {1.2, 0.3}}, torch::kFloat);
  return Graph(4, ei, x, torch::tensor({1}, torch::kLong));
}

// A 3-node path.
Graph small_path_graph() {
  const auto ei = torch::tensor({{0, 1, 1, 2}, {1, 0, 2, 1}}, torch::kLong);
  const auto x = torch::tensor({{1.0, 0.3}, {0.4, 0.0}, {0.7, 1.1}}, torch::kFloat);
  return Graph(3, ei, x, torch::tensor({0}, torch::kLong));
}

// Every parameter from a fixed formula (mixed signs, no RNG): entry j of the i-th parameter
// tensor is scale · sin(1.3 (j + 1) + 0.7 i) + shift.
void set_parameters(torch::nn::Module& model, double scale = 0.9, double shift = 0.05,
                    bool positive = false) {
  torch::NoGradGuard no_grad;
  int64_t i = 0;
  for (auto& p : model.parameters()) {
    auto j = torch::arange(p.numel(), torch::kDouble);
    auto v = scale * torch::sin(1.3 * (j + 1) + 0.7 * static_cast<double>(i)) + shift;
    if (positive) v = v.abs() + 0.05;
    p.copy_(v.reshape(p.sizes()).to(p.dtype()));
    ++i;
  }
}

ModelSpec base_spec(gnn::Task task) {
  ModelSpec spec;
  spec.task = task;
  spec.in_features = 2;
  spec.num_classes = 2;
  spec.hidden = 3;
  spec.num_layers = 2;
  return spec;
}

std::shared_ptr<gnn::NodeClassifierImpl> node_model(bool positive = false) {
  auto m = std::make_shared<gnn::NodeClassifierImpl>(base_spec(gnn::Task::kNodeClassification));
  set_parameters(*m, 0.9, 0.05, positive);
  return m;
}

std::shared_ptr<gnn::GraphClassifierImpl> graph_model(gnn::Readout readout = gnn::Readout::kMean,
                                                      int64_t mlp_hidden = 0,
                                                      bool positive = false) {
  ModelSpec spec = base_spec(gnn::Task::kGraphClassification);
  spec.readout = readout;
  spec.mlp_hidden = mlp_hidden;
  auto m = std::make_shared<gnn::GraphClassifierImpl>(spec);
  set_parameters(*m, 0.9, 0.05, positive);
  return m;
}

std::vector<Graph> graph_set() {
  return {triangle_graph(), small_path_graph(),
          path_graph().with_labels(torch::tensor({1}, torch::kLong))};
}

torch::Tensor node_targets() { return torch::tensor({0, 1, 3}, torch::kLong); }

// --- the dense reference -----------------------------------------------------------------------

enum class Rule { kStandard, kGuided, kDeconvolution };

torch::Tensor apply_rule(const torch::Tensor& g, const torch::Tensor& z, Rule rule) {
  const auto on = (z > 0).to(torch::kDouble);
  switch (rule) {
    case Rule::kStandard:
      return g * on;
    case Rule::kGuided:
      return g.clamp_min(0) * on;
    case Rule::kDeconvolution:
      return g.clamp_min(0);
  }
  return g;
}

// The model on the subgraph (node_ids, edge_ids) of `graph`, in float64, with the parent graph's
// GCN normalisation (deg = 1 + in-degree in the parent).
class DenseRef {
 public:
  DenseRef(gnn::GnnModel& model, const Graph& graph, const torch::Tensor& node_ids,
           const torch::Tensor& edge_ids)
      : graph_task_(model.spec().task == gnn::Task::kGraphClassification),
        concat_(model.spec().concat) {
    for (const auto& p : model.named_parameters())
      params_[p.key()] = p.value().detach().to(torch::kDouble);
    layers_ = model.spec().num_layers;
    const auto deg =
        torch::ones({graph.num_nodes()}, torch::kDouble)
            .index_add(0, graph.edge_index()[1], torch::ones({graph.num_edges()}, torch::kDouble));
    n_ = node_ids.numel();
    std::map<int64_t, int64_t> local;
    for (int64_t i = 0; i < n_; ++i) local[node_ids[i].item<int64_t>()] = i;
    std::vector<int64_t> src, dst;
    std::vector<double> norm;
    for (int64_t k = 0; k < edge_ids.numel(); ++k) {
      const int64_t e = edge_ids[k].item<int64_t>();
      const int64_t s = graph.edge_index()[0][e].item<int64_t>();
      const int64_t d = graph.edge_index()[1][e].item<int64_t>();
      src.push_back(local.at(s));
      dst.push_back(local.at(d));
      norm.push_back(1.0 / std::sqrt(deg[s].item<double>() * deg[d].item<double>()));
    }
    src_ = torch::tensor(src, torch::kLong);
    dst_ = torch::tensor(dst, torch::kLong);
    norm_ = torch::tensor(norm, torch::kDouble);
    self_ = deg.index_select(0, node_ids).reciprocal();
    x_ = graph.x().index_select(0, node_ids).to(torch::kDouble);
    ones_ = torch::ones({edge_ids.numel()}, torch::kDouble);
  }

  const torch::Tensor& x() const { return x_; }
  const torch::Tensor& ones() const { return ones_; }
  int64_t num_nodes() const { return n_; }
  int64_t num_edges() const { return src_.numel(); }
  const torch::Tensor& src() const { return src_; }
  const torch::Tensor& dst() const { return dst_; }

  // Â(w) [n, n]: Â[d][s] = w_e norm_e per edge, Â[i][i] = 1/deg_i (differentiable in w).
  torch::Tensor adjacency(const torch::Tensor& w) const {
    const auto s = torch::one_hot(src_, n_).to(torch::kDouble);  // [E, n]
    const auto d = torch::one_hot(dst_, n_).to(torch::kDouble);
    return torch::diag(self_) + torch::matmul(d.t() * (w * norm_).unsqueeze(0), s);
  }

  struct Pass {
    std::vector<torch::Tensor> z, a;  // pre- and post-activation per layer
    torch::Tensor logits;             // [n, C] (node task) or [1, C]
  };

  Pass forward(const torch::Tensor& x, const torch::Tensor& w) const {
    Pass p;
    const auto adj = adjacency(w);
    torch::Tensor h = x;
    for (int64_t l = 0; l < layers_; ++l) {
      p.z.push_back(torch::matmul(adj, torch::matmul(h, W(l))) + b(l));
      h = torch::relu(p.z.back());
      p.a.push_back(h);
    }
    if (graph_task_) {
      p.logits = torch::matmul(h.mean(0, /*keepdim=*/true), head_w().t()) + head_b();
    } else {
      const auto features = concat_ ? torch::cat(p.a, 1) : p.a.back();
      p.logits = torch::matmul(features, head_w().t()) + head_b();
    }
    return p;
  }

  double logit(const torch::Tensor& x, const torch::Tensor& w, int64_t target, int64_t c) const {
    return forward(x, w).logits[graph_task_ ? 0 : target][c].item<double>();
  }
  double probability(const torch::Tensor& x, const torch::Tensor& w, int64_t target,
                     int64_t c) const {
    return torch::softmax(forward(x, w).logits, 1)[graph_task_ ? 0 : target][c].item<double>();
  }

  struct Grads {
    torch::Tensor x;                    // [n, F]
    torch::Tensor w;                    // [E]
    std::vector<torch::Tensor> by_act;  // ∂y/∂F^l per layer (standard rule only)
  };

  // Hand-written backward of logit[target][c] at (x, w) with a ReLU rule.
  Grads backward(const torch::Tensor& x, const torch::Tensor& w, int64_t target, int64_t c,
                 Rule rule) const {
    const Pass p = forward(x, w);
    const auto adj = adjacency(w);
    const auto wc = head_w()[c];
    const int64_t h = W(0).size(1);
    std::vector<torch::Tensor> g_a(layers_);
    for (int64_t l = 0; l < layers_; ++l) g_a[l] = torch::zeros_like(p.a[l]);
    if (graph_task_) {
      g_a.back() += wc.unsqueeze(0).expand({n_, h}) / static_cast<double>(n_);
    } else if (concat_) {
      for (int64_t l = 0; l < layers_; ++l) g_a[l][target] += wc.slice(0, l * h, (l + 1) * h);
    } else {
      g_a.back()[target] += wc;
    }
    Grads out;
    out.w = torch::zeros({num_edges()}, torch::kDouble);
    out.by_act.resize(layers_);
    for (int64_t l = layers_ - 1; l >= 0; --l) {
      out.by_act[l] = g_a[l].clone();
      const auto g_z = apply_rule(g_a[l], p.z[l], rule);
      const auto input = l == 0 ? x : p.a[l - 1];
      const auto xw = torch::matmul(input, W(l));
      out.w += norm_ * (g_z.index_select(0, dst_) * xw.index_select(0, src_)).sum(1);
      const auto g_in = torch::matmul(torch::matmul(adj.t(), g_z), W(l).t());
      if (l > 0) {
        g_a[l - 1] += g_in;
      } else {
        out.x = g_in;
      }
    }
    return out;
  }

  // Excitation backprop by its definition, loop by loop (sign -1: negated classifier row).
  std::pair<torch::Tensor, torch::Tensor> excitation(int64_t target, int64_t c, double sign) const {
    const Pass p = forward(x_, ones_);
    const int64_t h = W(0).size(1);
    const auto wcp = (sign * head_w()[c]).clamp_min(0);
    std::vector<torch::Tensor> prob(layers_);
    for (int64_t l = 0; l < layers_; ++l) prob[l] = torch::zeros_like(p.a[l]);
    if (graph_task_) {
      const auto& last = p.a.back();
      const auto pooled = last.mean(0);
      const double den = (pooled * wcp).sum().item<double>();
      for (int64_t k = 0; k < h; ++k) {
        const double p_pool = den > 0 ? pooled[k].item<double>() * wcp[k].item<double>() / den : 0;
        const double col = last.select(1, k).sum().item<double>();
        for (int64_t n = 0; n < n_; ++n) {
          prob.back()[n][k] = col > 0 ? last[n][k].item<double>() * p_pool / col : 0.0;
        }
      }
    } else {
      std::vector<torch::Tensor> parts;
      const int64_t first = concat_ ? 0 : layers_ - 1;
      for (int64_t l = first; l < layers_; ++l) parts.push_back(p.a[l][target]);
      const auto a = torch::cat(parts);
      const double den = (a * wcp).sum().item<double>();
      for (int64_t l = first; l < layers_; ++l) {
        for (int64_t k = 0; k < h; ++k) {
          const int64_t j = (l - first) * h + k;
          prob[l][target][k] = den > 0 ? a[j].item<double>() * wcp[j].item<double>() / den : 0.0;
        }
      }
    }
    // Â entries and the edge id of each (source, target) pair.
    const auto adj = adjacency(ones_);
    std::map<std::pair<int64_t, int64_t>, int64_t> edge_of;
    for (int64_t e = 0; e < num_edges(); ++e) {
      edge_of[{src_[e].item<int64_t>(), dst_[e].item<int64_t>()}] = e;
    }
    auto edge = torch::zeros({num_edges()}, torch::kDouble);
    torch::Tensor input_prob;
    for (int64_t l = layers_ - 1; l >= 0; --l) {
      const auto input = l == 0 ? x_ : p.a[l - 1];
      const auto wp = W(l).clamp_min(0);
      auto below = torch::zeros_like(input);
      for (int64_t n = 0; n < n_; ++n) {
        for (int64_t k = 0; k < h; ++k) {
          const double pk = prob[l][n][k].item<double>();
          if (pk == 0) continue;
          double den = 0;
          for (int64_t m = 0; m < n_; ++m) {
            for (int64_t q = 0; q < input.size(1); ++q) {
              den +=
                  adj[n][m].item<double>() * input[m][q].item<double>() * wp[q][k].item<double>();
            }
          }
          if (!(den > 0)) continue;
          for (int64_t m = 0; m < n_; ++m) {
            for (int64_t q = 0; q < input.size(1); ++q) {
              const double share = adj[n][m].item<double>() * input[m][q].item<double>() *
                                   wp[q][k].item<double>() / den * pk;
              below[m][q] += share;
              if (m != n && share != 0) edge[edge_of.at({m, n})] += share;
            }
          }
        }
      }
      if (l > 0) {
        prob[l - 1] += below;
      } else {
        input_prob = below;
      }
    }
    return {input_prob.sum(1), edge};
  }

 private:
  torch::Tensor W(int64_t l) const { return params_.at("conv" + std::to_string(l) + ".weight"); }
  torch::Tensor b(int64_t l) const { return params_.at("conv" + std::to_string(l) + ".bias"); }
  torch::Tensor head_w() const { return params_.at("head.weight"); }
  torch::Tensor head_b() const { return params_.at("head.bias"); }

  bool graph_task_, concat_;
  int64_t layers_ = 0, n_ = 0;
  std::map<std::string, torch::Tensor> params_;
  torch::Tensor src_, dst_, norm_, self_, x_, ones_;
};

// The parent graph of an explanation (node task: the one graph; graph task: by target).
const Graph& parent_of(const Explanation& e, const std::vector<Graph>& graphs) {
  return e.task == gnn::Task::kNodeClassification ? graphs.front() : graphs.at(e.target);
}

int64_t local_target(const Explanation& e) {
  if (e.task == gnn::Task::kGraphClassification) return 0;
  const auto pos = (e.node_ids == e.target).nonzero();
  return pos[0][0].item<int64_t>();
}

void expect_close(const torch::Tensor& got, const torch::Tensor& want, double atol,
                  const std::string& what) {
  ASSERT_TRUE(got.defined()) << what << ": undefined";
  ASSERT_EQ(got.numel(), want.numel()) << what;
  const auto g = got.to(torch::kDouble).reshape({-1});
  const auto w = want.to(torch::kDouble).reshape({-1});
  EXPECT_TRUE(torch::allclose(g, w, /*rtol=*/1e-4, atol))
      << what << "\n got:  " << g << "\n want: " << w;
}

// Runs `explainer` for both classes on the node model (targets 0, 1, 3 of the path graph) and
// the graph model (three graphs) and checks each explanation against reference(e, ref).
using Reference = std::function<std::pair<torch::Tensor, torch::Tensor>(const Explanation& e,
                                                                        const DenseRef& ref)>;
using Factory = std::function<std::unique_ptr<Explainer>(const TargetOptions&)>;

void check_against_reference(const Factory& make, const Reference& reference, double atol = 1e-5,
                             bool node_task = true, bool graph_task = true) {
  for (int64_t c = 0; c < 2; ++c) {
    const TargetOptions target = TargetOptions().explained_class(c);
    if (node_task) {
      auto model = node_model();
      const std::vector<Graph> graphs = {path_graph()};
      auto explanations = make(target)->explain_nodes(*model, graphs[0], node_targets());
      ASSERT_EQ(explanations.size(), 3u);
      for (const auto& e : explanations) {
        EXPECT_EQ(e.explained_class, c);
        const DenseRef ref(*model, parent_of(e, graphs), e.node_ids, e.edge_ids);
        const auto [node, edge] = reference(e, ref);
        const std::string what =
            e.method + " node " + std::to_string(e.target) + " class " + std::to_string(c);
        expect_close(e.node_mask, node, atol, what + " node mask");
        expect_close(e.edge_mask, edge, atol, what + " edge mask");
      }
    }
    if (graph_task) {
      auto model = graph_model();
      const auto graphs = graph_set();
      auto explanations = make(target)->explain_graphs(*model, graphs);
      ASSERT_EQ(explanations.size(), graphs.size());
      for (const auto& e : explanations) {
        const DenseRef ref(*model, parent_of(e, graphs), e.node_ids, e.edge_ids);
        const auto [node, edge] = reference(e, ref);
        const std::string what =
            e.method + " graph " + std::to_string(e.target) + " class " + std::to_string(c);
        expect_close(e.node_mask, node, atol, what + " node mask");
        expect_close(e.edge_mask, edge, atol, what + " edge mask");
      }
    }
  }
}

torch::Tensor row_norm(const torch::Tensor& g) { return g.pow(2).sum(1).sqrt(); }

torch::Tensor edge_min(const DenseRef& ref, const torch::Tensor& node) {
  return torch::minimum(node.index_select(0, ref.src()), node.index_select(0, ref.dst()));
}

// --- the reference itself ----------------------------------------------------------------------

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

TEST_F(GradientMethodsTest, IntegratedGradientsMatchesTrapezoidReference) {
  check_against_reference(
      [](const TargetOptions& t) {
        return std::make_unique<IntegratedGradients>(IntegratedGradientsOptions().steps(kSteps), t);
      },
      [](const Explanation& e, const DenseRef& ref) {
        auto node = torch::zeros_like(ref.x());
        auto edge = torch::zeros_like(ref.ones());
        for (int64_t k = 0; k <= kSteps; ++k) {
          const double a = double(k) / kSteps;
          const double wt = (k == 0 || k == kSteps ? 0.5 : 1.0) / kSteps;
          node += wt * ref.backward(a * ref.x(), ref.ones(), local_target(e), e.explained_class,
                                    Rule::kStandard)
                           .x;
          edge += wt * ref.backward(ref.x(), a * ref.ones(), local_target(e), e.explained_class,
                                    Rule::kStandard)
                           .w;
        }
        return std::make_pair((ref.x() * node).sum(1), edge);
      });
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

TEST_F(GradientMethodsTest, GradCamMatchesDenseReference) {
  for (int64_t layer : {0, 1}) {
    check_against_reference(
        [layer](const TargetOptions& t) {
          return std::make_unique<GradCam>(GradCamOptions().layer(layer), t);
        },
        [layer](const Explanation& e, const DenseRef& ref) {
          const auto f = ref.forward(ref.x(), ref.ones()).a[layer];
          const auto g = ref.backward(ref.x(), ref.ones(), local_target(e), e.explained_class,
                                      Rule::kStandard);
          const auto alpha = g.by_act[layer].mean(0);  // over the subgraph's nodes
          const auto node = torch::relu(torch::matmul(f, alpha));
          return std::make_pair(node, edge_min(ref, node));
        });
  }
}

TEST_F(GradientMethodsTest, GradCamAvgIsTheMeanOverLayers) {
  check_against_reference([](const TargetOptions& t) { return std::make_unique<GradCamAvg>(t); },
                          [](const Explanation& e, const DenseRef& ref) {
                            const auto pass = ref.forward(ref.x(), ref.ones());
                            const auto g = ref.backward(ref.x(), ref.ones(), local_target(e),
                                                        e.explained_class, Rule::kStandard);
                            auto node = torch::zeros({ref.num_nodes()}, torch::kDouble);
                            for (size_t l = 0; l < pass.a.size(); ++l) {
                              node += torch::relu(torch::matmul(pass.a[l], g.by_act[l].mean(0)));
                            }
                            node /= static_cast<double>(pass.a.size());
                            return std::make_pair(node, edge_min(ref, node));
                          });
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
  auto make = [](std::vector<float> mask) {
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
}  // namespace gnnx::explainers
