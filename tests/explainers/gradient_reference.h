#pragma once
// Shared by the gradient-family tests (gradient_methods_test.cpp, gradient_maps_test.cpp): tiny
// graphs with hand-set GCN models and an independent dense float64 reference. The reference builds
// Â as a dense matrix from the parent graph's degrees, runs the layers with plain matmuls and
// back-propagates by hand (with the standard, guided or deconvolution ReLU rule).

#include <gnnx/explainers/explainer.h>
#include <gnnx/explainers/gradient_methods.h>
#include <gnnx/explainers/metrics.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/models.h>
#include <gtest/gtest.h>
#include <torch/autograd.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gnnx::explainers::gradient_test {

using gnn::Graph;
using gnn::ModelSpec;

class GradientMethodsTest : public ::testing::Test {
 protected:
  void SetUp() override { torch::manual_seed(0); }
};

// --- tiny graphs and hand-set models -----------------------------------------------------------

// 0 - 1 - 2 - 3 (both directions; edge ids deliberately not in CSR order). Non-negative
// features, as excitation backprop needs.
inline Graph path_graph() {
  const auto ei = torch::tensor({{1, 0, 2, 1, 3, 2}, {0, 1, 1, 2, 2, 3}}, torch::kLong);
  const auto x = torch::tensor({{1.0, 0.0}, {0.0, 1.0}, {1.0, 1.0}, {0.5, 2.0}}, torch::kFloat);
  return Graph(4, ei, x, torch::tensor({0, 1, 1, 0}, torch::kLong));
}

// A triangle 1-2-3 with a pendant 0.
inline Graph triangle_graph() {
  const auto ei = torch::tensor({{0, 1, 1, 2, 2, 3, 3, 1}, {1, 0, 2, 1, 3, 2, 1, 3}}, torch::kLong);
  const auto x = torch::tensor({{0.2, 1.0}, {1.0, 0.5}, {0.0, 1.5}, {1.2, 0.3}}, torch::kFloat);
  return Graph(4, ei, x, torch::tensor({1}, torch::kLong));
}

// A 3-node path.
inline Graph small_path_graph() {
  const auto ei = torch::tensor({{0, 1, 1, 2}, {1, 0, 2, 1}}, torch::kLong);
  const auto x = torch::tensor({{1.0, 0.3}, {0.4, 0.0}, {0.7, 1.1}}, torch::kFloat);
  return Graph(3, ei, x, torch::tensor({0}, torch::kLong));
}

// Every parameter from a fixed formula (mixed signs, no RNG): entry j of the i-th parameter
// tensor is scale · sin(1.3 (j + 1) + 0.7 i) + shift.
inline void set_parameters(torch::nn::Module& model, double scale = 0.9, double shift = 0.05,
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

inline ModelSpec base_spec(gnn::Task task) {
  ModelSpec spec;
  spec.task = task;
  spec.in_features = 2;
  spec.num_classes = 2;
  spec.hidden = 3;
  spec.num_layers = 2;
  return spec;
}

inline std::shared_ptr<gnn::NodeClassifierImpl> node_model(bool positive = false) {
  auto m = std::make_shared<gnn::NodeClassifierImpl>(base_spec(gnn::Task::kNodeClassification));
  set_parameters(*m, 0.9, 0.05, positive);
  return m;
}

inline std::shared_ptr<gnn::GraphClassifierImpl> graph_model(
    gnn::Readout readout = gnn::Readout::kMean, int64_t mlp_hidden = 0, bool positive = false) {
  ModelSpec spec = base_spec(gnn::Task::kGraphClassification);
  spec.readout = readout;
  spec.mlp_hidden = mlp_hidden;
  auto m = std::make_shared<gnn::GraphClassifierImpl>(spec);
  set_parameters(*m, 0.9, 0.05, positive);
  return m;
}

inline std::vector<Graph> graph_set() {
  return {triangle_graph(), small_path_graph(),
          path_graph().with_labels(torch::tensor({1}, torch::kLong))};
}

inline torch::Tensor node_targets() { return torch::tensor({0, 1, 3}, torch::kLong); }

// --- the dense reference -----------------------------------------------------------------------

// kRescale: DeepLIFT's rescale multiplier against a reference pass (DenseRef::backward's
// `reference`), the plain gradient where the pre-activations differ by less than 1e-10.
enum class Rule { kStandard, kGuided, kDeconvolution, kRescale };

inline torch::Tensor apply_rule(const torch::Tensor& g, const torch::Tensor& z, Rule rule) {
  const auto on = (z > 0).to(torch::kDouble);
  switch (rule) {
    case Rule::kStandard:
      return g * on;
    case Rule::kGuided:
      return g.clamp_min(0) * on;
    case Rule::kDeconvolution:
      return g.clamp_min(0);
    case Rule::kRescale:
      break;  // needs the reference pass: DenseRef::backward
  }
  return g;
}

// The model on the subgraph (node_ids, edge_ids) of `graph`, in float64, with the parent graph's
// GCN normalisation (deg = 1 + in-degree in the parent), or the raw sums of the model's
// aggregation (kSum: 1 per edge, none for the node itself; kSumSelf: 1 for both).
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
    if (model.spec().aggregation != gnn::Aggregation::kSymmetric) {
      norm_ = torch::ones_like(norm_);
      self_ = model.spec().aggregation == gnn::Aggregation::kSumSelf ? torch::ones_like(self_)
                                                                     : torch::zeros_like(self_);
    }
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

  // Hand-written backward of logit[target][c] at (x, w) with a ReLU rule; Rule::kRescale takes
  // DeepLIFT's multipliers against the pass at (x0, w0) (products with the mask: its gradient).
  Grads backward(const torch::Tensor& x, const torch::Tensor& w, int64_t target, int64_t c,
                 Rule rule, const torch::Tensor& x0 = {}, const torch::Tensor& w0 = {}) const {
    const Pass p = forward(x, w);
    const Pass p0 = rule == Rule::kRescale ? forward(x0, w0) : Pass{};
    const auto multiply = [&](const torch::Tensor& g, int64_t l) {
      if (rule != Rule::kRescale) return apply_rule(g, p.z[l], rule);
      const auto dz = p.z[l] - p0.z[l];
      const auto tiny = dz.abs() < 1e-10;
      const auto ratio = (p.a[l] - p0.a[l]) / torch::where(tiny, torch::ones_like(dz), dz);
      return g * torch::where(tiny, (p.z[l] > 0).to(torch::kDouble), ratio);
    };
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
      const auto g_z = multiply(g_a[l], l);
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

  // LRP by its definition, loop by loop (Bach et al. 2015): every unit hands its relevance R
  // to its contributions c_j (bias b apart) by the ε-rule, R c_j / (z + ε sign z) with z = Σ c
  // + b, or (alpha > 0) the αβ-rule, R (α c⁺_j / (Σ c⁺ + b⁺) − β c⁻_j / (Σ c⁻ + b⁻)), β = α − 1
  // (where one of the sums is 0, the other side takes R in proportion), or (gamma > 0) the
  // γ-rule, R (c_j + γ c⁺_j) / (Σ (c + γ c⁺) + b + γ b⁺);
  // the head's logit, the mean readout (c = a_n / n) and each layer's Â a W + b in turn.
  std::pair<torch::Tensor, torch::Tensor> lrp(int64_t target, int64_t c, double eps,
                                              double alpha = 0, double gamma = 0) const {
    const Pass p = forward(x_, ones_);
    // One unit: contributions and bias in, each contribution's relevance out.
    const auto distribute = [&](const std::vector<double>& contrib, double bias, double r) {
      std::vector<double> out(contrib.size(), 0.0);
      if (gamma > 0) {
        const auto lifted = [gamma](double v) { return v + gamma * std::max(v, 0.0); };
        double z = lifted(bias);
        for (double v : contrib) z += lifted(v);
        for (size_t j = 0; j < contrib.size(); ++j) {
          out[j] = z != 0 ? lifted(contrib[j]) / z * r : 0;
        }
      } else if (alpha > 0) {
        double zp = std::max(bias, 0.0), zn = std::min(bias, 0.0);
        for (double v : contrib) (v > 0 ? zp : zn) += v;
        // One sign only: that side takes everything, (α, β) = (1, 0) or (0, −1).
        const double a = zn == 0 ? 1.0 : zp == 0 ? 0.0 : alpha;
        for (size_t j = 0; j < contrib.size(); ++j) {
          const double v = contrib[j];
          if (v > 0 && zp != 0) out[j] = a * v / zp * r;
          if (v < 0 && zn != 0) out[j] = -(a - 1) * v / zn * r;
        }
      } else {
        double z = bias;
        for (double v : contrib) z += v;
        const double den = z + (z >= 0 ? eps : -eps);
        for (size_t j = 0; j < contrib.size(); ++j) out[j] = den != 0 ? contrib[j] / den * r : 0;
      }
      return out;
    };
    const int64_t h = W(0).size(1);
    std::vector<torch::Tensor> rel(layers_);
    for (int64_t l = 0; l < layers_; ++l) rel[l] = torch::zeros_like(p.a[l]);
    // The head: its input f, the logit y_c = f · W_c + b_c as the relevance to hand down.
    std::vector<torch::Tensor> parts;
    const int64_t first = graph_task_ || !concat_ ? layers_ - 1 : 0;
    for (int64_t l = first; l < layers_; ++l) {
      parts.push_back(graph_task_ ? p.a[l].mean(0) : p.a[l][target]);
    }
    const auto f = torch::cat(parts);
    std::vector<double> contrib;
    for (int64_t j = 0; j < f.size(0); ++j) {
      contrib.push_back(f[j].item<double>() * head_w()[c][j].item<double>());
    }
    const double y = p.logits[graph_task_ ? 0 : target][c].item<double>();
    const auto r_f = distribute(contrib, head_b()[c].item<double>(), y);
    for (int64_t l = first; l < layers_; ++l) {
      for (int64_t k = 0; k < h; ++k) {
        const double r = r_f[(l - first) * h + k];
        if (!graph_task_) {
          rel[l][target][k] = r;
          continue;
        }
        std::vector<double> rows;  // the mean readout: a_nk / n
        for (int64_t n = 0; n < n_; ++n) rows.push_back(p.a[l][n][k].item<double>() / n_);
        const auto r_rows = distribute(rows, 0.0, r);
        for (int64_t n = 0; n < n_; ++n) rel[l][n][k] = r_rows[n];
      }
    }
    const auto adj = adjacency(ones_);
    std::map<std::pair<int64_t, int64_t>, int64_t> edge_of;
    for (int64_t e = 0; e < num_edges(); ++e) {
      edge_of[{src_[e].item<int64_t>(), dst_[e].item<int64_t>()}] = e;
    }
    auto edge = torch::zeros({num_edges()}, torch::kDouble);
    torch::Tensor input_rel;
    for (int64_t l = layers_ - 1; l >= 0; --l) {
      const auto input = l == 0 ? x_ : p.a[l - 1];
      auto below = torch::zeros_like(input);
      for (int64_t n = 0; n < n_; ++n) {
        for (int64_t k = 0; k < h; ++k) {
          const double r = rel[l][n][k].item<double>();
          if (r == 0) continue;
          std::vector<double> terms;  // Â[n][m] a[m][q] W[q][k], (m, q) row-major
          for (int64_t m = 0; m < n_; ++m) {
            for (int64_t q = 0; q < input.size(1); ++q) {
              terms.push_back(adj[n][m].item<double>() * input[m][q].item<double>() *
                              W(l)[q][k].item<double>());
            }
          }
          const auto shares = distribute(terms, b(l)[k].item<double>(), r);
          for (int64_t m = 0; m < n_; ++m) {
            for (int64_t q = 0; q < input.size(1); ++q) {
              const double share = shares[m * input.size(1) + q];
              below[m][q] += share;
              if (m != n && share != 0) edge[edge_of.at({m, n})] += share;
            }
          }
        }
      }
      if (l > 0) {
        rel[l - 1] += below;
      } else {
        input_rel = below;
      }
    }
    return {input_rel.sum(1), edge};
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
inline const Graph& parent_of(const Explanation& e, const std::vector<Graph>& graphs) {
  return e.task == gnn::Task::kNodeClassification ? graphs.front() : graphs.at(e.target);
}

inline int64_t local_target(const Explanation& e) {
  if (e.task == gnn::Task::kGraphClassification) return 0;
  const auto pos = (e.node_ids == e.target).nonzero();
  return pos[0][0].item<int64_t>();
}

inline void expect_close(const torch::Tensor& got, const torch::Tensor& want, double atol,
                         const std::string& what) {
  ASSERT_TRUE(got.defined()) << what << ": undefined";
  ASSERT_EQ(got.numel(), want.numel()) << what;
  const auto g = got.to(torch::kDouble).reshape({-1});
  const auto w = want.to(torch::kDouble).reshape({-1});
  EXPECT_TRUE(torch::allclose(g, w, /*rtol=*/1e-4, atol))
      << what << "\n got:  " << g << "\n want: " << w;
}

// The reference maps of one explanation from the model and the target's parent graph (node
// task: the one graph; graph task: the target's graph), for references that need more than the
// target's computation subgraph.
using ModelReference = std::function<std::pair<torch::Tensor, torch::Tensor>(
    const Explanation& e, gnn::GnnModel& model, const Graph& parent)>;
using Factory = std::function<std::unique_ptr<Explainer>(const TargetOptions&)>;

// Runs `explainer` for both classes on the node model (targets 0, 1, 3 of the path graph) and
// the graph model (three graphs) and checks each explanation against reference(e, model, parent).
inline void check_against_model_reference(const Factory& make, const ModelReference& reference,
                                          double atol = 1e-5, bool node_task = true,
                                          bool graph_task = true) {
  for (int64_t c = 0; c < 2; ++c) {
    const TargetOptions target = TargetOptions().explained_class(c);
    if (node_task) {
      auto model = node_model();
      const std::vector<Graph> graphs = {path_graph()};
      auto explanations = make(target)->explain_nodes(*model, graphs[0], node_targets());
      ASSERT_EQ(explanations.size(), 3u);
      for (const auto& e : explanations) {
        EXPECT_EQ(e.explained_class, c);
        const auto [node, edge] = reference(e, *model, parent_of(e, graphs));
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
        const auto [node, edge] = reference(e, *model, parent_of(e, graphs));
        const std::string what =
            e.method + " graph " + std::to_string(e.target) + " class " + std::to_string(c);
        expect_close(e.node_mask, node, atol, what + " node mask");
        expect_close(e.edge_mask, edge, atol, what + " edge mask");
      }
    }
  }
}

// The same with a reference that sees only the target's computation subgraph (with the parent
// graph's normalisation): reference(e, DenseRef of the subgraph).
using Reference = std::function<std::pair<torch::Tensor, torch::Tensor>(const Explanation& e,
                                                                        const DenseRef& ref)>;

inline void check_against_reference(const Factory& make, const Reference& reference,
                                    double atol = 1e-5, bool node_task = true,
                                    bool graph_task = true) {
  check_against_model_reference(
      make,
      [&reference](const Explanation& e, gnn::GnnModel& model, const Graph& parent) {
        const DenseRef ref(model, parent, e.node_ids, e.edge_ids);
        return reference(e, ref);
      },
      atol, node_task, graph_task);
}

inline torch::Tensor row_norm(const torch::Tensor& g) { return g.pow(2).sum(1).sqrt(); }

inline torch::Tensor edge_min(const DenseRef& ref, const torch::Tensor& node) {
  return torch::minimum(node.index_select(0, ref.src()), node.index_select(0, ref.dst()));
}

// --- the reference itself ----------------------------------------------------------------------

}  // namespace gnnx::explainers::gradient_test
