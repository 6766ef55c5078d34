#pragma once
// A dense float64 reference of gnnx's GraphConv, SAGE, GIN, GINE and GAT models, written from
// the layers' formulas (not from gnnx's code): the forward pass with dense matrices, the
// excitation backprop rule of each layer type as gradient_methods.h states it (loops over the
// terms of every unit), and the backward pass of guided backprop / deconvolution with GAT's
// attention coefficients held fixed. For layer_rules_test.cpp.

#include "explainers/gradient_reference.h"

#include <tuple>

namespace gnnx::explainers::layer_rules_test {

using gnn::Graph;
using gradient_test::apply_rule;
using gradient_test::Rule;

/// One term of a unit's pre-activation: its positive contribution `value`, the edge it travels
/// along (-1: the node's own term), and where its mass goes below: (node, unit, fraction) and
/// the fraction that ends in the edge's features (GINE).
struct Term {
  double value = 0;
  int64_t edge = -1;
  std::vector<std::tuple<int64_t, int64_t, double>> leaves;
  double to_features = 0;
};

/// Where one excitation step sent the mass.
struct Mass {
  torch::Tensor input;  // [N, in]
  torch::Tensor edge;   // [E]
  double features = 0;  // total that ended in edge features
};

class LayerRef {
 public:
  LayerRef(const std::string& kind, const std::map<std::string, torch::Tensor>& params,
           const std::string& prefix, const Graph& g, int64_t heads)
      : kind_(kind), heads_(heads), n_(g.num_nodes()) {
    auto p = [&](const std::string& name) { return params.at(prefix + name); };
    src_ = g.edge_index()[0].contiguous();
    dst_ = g.edge_index()[1].contiguous();
    adj_ = torch::zeros({n_, n_}, torch::kDouble);
    for (int64_t e = 0; e < g.num_edges(); ++e) adj_[dst_[e]][src_[e]] += 1.0;
    if (g.edge_attr().defined()) attr_ = g.edge_attr().to(torch::kDouble);
    if (kind == "graphconv") {
      w_msg_ = p("lin_rel.weight");
      b_ = p("lin_rel.bias");
      w_self_ = p("lin_root.weight");
    } else if (kind == "sage") {
      w_msg_ = p("lin_l.weight");
      b_ = p("lin_l.bias");
      w_self_ = p("lin_r.weight");
    } else if (kind == "gin" || kind == "gine") {
      eps_ = p("eps").item<double>();
      mlp_w_ = {p("nn.0.weight"), p("nn.2.weight")};
      mlp_b_ = {p("nn.0.bias"), p("nn.2.bias")};
      if (kind == "gine") {
        edge_w_ = p("lin.weight");
        edge_b_ = p("lin.bias");
      }
    } else if (kind == "gat") {
      w_msg_ = p("lin.weight");  // [H·C, in]
      b_ = p("bias");
      att_src_ = p("att_src")[0];  // [H, C]
      att_dst_ = p("att_dst")[0];
      if (params.count(prefix + "lin_edge.weight") > 0) {
        lin_edge_ = p("lin_edge.weight");
        att_edge_ = p("att_edge")[0];
      }
    }
  }

  int64_t num_edges() const { return src_.numel(); }

  /// The layer's output before the model's ReLU.
  torch::Tensor forward(const torch::Tensor& a) const {
    if (kind_ == "graphconv") {
      return torch::matmul(a, w_self_.t()) + torch::matmul(adj_, torch::matmul(a, w_msg_.t())) + b_;
    }
    if (kind_ == "sage") {
      const auto deg = adj_.sum(1).clamp_min(1).unsqueeze(1);
      return torch::matmul(a, w_self_.t()) +
             torch::matmul(adj_ / deg, torch::matmul(a, w_msg_.t())) + b_;
    }
    if (kind_ == "gin" || kind_ == "gine") return mlp(aggregate(a)).back();
    // gat: α_h [N, N] (self-loops on the diagonal), concatenated heads.
    std::vector<torch::Tensor> outs;
    const auto alpha = attention(a);
    for (int64_t h = 0; h < heads_; ++h) {
      outs.push_back(torch::matmul(alpha[h], torch::matmul(a, head_weight(h).t())));
    }
    return torch::cat(outs, 1) + b_;
  }

  /// Excitation backprop through the layer: p_out [N, out] at its (post-ReLU) output.
  Mass excitation(const torch::Tensor& a, const torch::Tensor& p_out) const {
    torch::Tensor p_z = p_out;
    if (kind_ == "gin" || kind_ == "gine") {
      const auto acts = mlp(aggregate(a));  // z, r1, out
      p_z = linear_eb(acts[1], mlp_w_[1], p_z);
      p_z = linear_eb(acts[0], mlp_w_[0], p_z);
    }
    Mass m;
    m.input = torch::zeros_like(a);
    m.edge = torch::zeros({num_edges()}, torch::kDouble);
    const auto alpha = kind_ == "gat" ? attention(a) : torch::Tensor();
    for (int64_t i = 0; i < n_; ++i) {
      for (int64_t ko = 0; ko < p_z.size(1); ++ko) {
        const double pk = p_z[i][ko].item<double>();
        if (pk == 0) continue;
        const auto ts = terms(a, alpha, i, ko);
        double den = 0;
        for (const auto& t : ts) den += t.value;
        if (!(den > 0)) continue;
        for (const auto& t : ts) {
          const double mass = pk * t.value / den;
          if (t.edge >= 0) m.edge[t.edge] += mass;
          for (const auto& [j, k, f] : t.leaves) m.input[j][k] += mass * f;
          m.features += mass * t.to_features;
        }
      }
    }
    return m;
  }

  /// Guided backprop / deconvolution through the layer with α fixed: the gradient at the input
  /// and at a per-edge mask of ones, from g_z at the pre-activation.
  std::pair<torch::Tensor, torch::Tensor> backward(const torch::Tensor& a,
                                                   const torch::Tensor& g_z) const {
    TORCH_CHECK(kind_ == "gat", "the reference's backward is GAT's");
    const auto alpha = attention(a).detach();
    const int64_t c = w_msg_.size(0) / heads_;
    auto g_in = torch::zeros_like(a);
    auto g_w = torch::zeros({num_edges()}, torch::kDouble);
    for (int64_t h = 0; h < heads_; ++h) {
      const auto wh = head_weight(h);                    // [C, in]
      const auto gh = g_z.slice(1, h * c, (h + 1) * c);  // [N, C]
      g_in += torch::matmul(torch::matmul(alpha[h].t(), gh), wh);
      const auto msg = torch::matmul(a, wh.t());  // [N, C]
      for (int64_t e = 0; e < num_edges(); ++e) {
        const int64_t j = src_[e].item<int64_t>(), i = dst_[e].item<int64_t>();
        g_w[e] += alpha[h][i][j].item<double>() * (gh[i] * msg[j]).sum().item<double>();
      }
    }
    return {g_in, g_w};
  }

 private:
  torch::Tensor head_weight(int64_t h) const {
    const int64_t c = w_msg_.size(0) / heads_;
    return w_msg_.slice(0, h * c, (h + 1) * c);
  }

  /// GIN / GINE: (1 + ε) a_i + Σ_j m_ji.
  torch::Tensor aggregate(const torch::Tensor& a) const {
    auto z = (1 + eps_) * a;
    for (int64_t e = 0; e < num_edges(); ++e) {
      z[dst_[e]] += message(a, e);
    }
    return z;
  }

  torch::Tensor message(const torch::Tensor& a, int64_t e) const {
    auto x_j = a[src_[e]];
    if (kind_ != "gine") return x_j;
    return torch::relu(x_j + torch::matmul(edge_w_, attr_[e]) + edge_b_);
  }

  /// z, ReLU(z W0ᵀ + b0), its W1 map (+ b1).
  std::vector<torch::Tensor> mlp(const torch::Tensor& z) const {
    const auto r = torch::relu(torch::matmul(z, mlp_w_[0].t()) + mlp_b_[0]);
    return {z, r, torch::matmul(r, mlp_w_[1].t()) + mlp_b_[1]};
  }

  /// EB through a linear layer out = in Wᵀ, loop by loop.
  static torch::Tensor linear_eb(const torch::Tensor& in, const torch::Tensor& w,
                                 const torch::Tensor& p_out) {
    auto p_in = torch::zeros_like(in);
    for (int64_t i = 0; i < in.size(0); ++i) {
      for (int64_t o = 0; o < w.size(0); ++o) {
        double den = 0;
        for (int64_t k = 0; k < w.size(1); ++k) {
          den += in[i][k].item<double>() * std::max(w[o][k].item<double>(), 0.0);
        }
        if (!(den > 0)) continue;
        for (int64_t k = 0; k < w.size(1); ++k) {
          p_in[i][k] += p_out[i][o].item<double>() * in[i][k].item<double>() *
                        std::max(w[o][k].item<double>(), 0.0) / den;
        }
      }
    }
    return p_in;
  }

  /// GAT's coefficients [H, N, N]: α_h[i][j] for the edge j -> i, α_h[i][i] the added
  /// self-loop's, a softmax of LeakyReLU(0.2) scores over j ∈ N(i) ∪ {i}.
  torch::Tensor attention(const torch::Tensor& a) const {
    auto alpha = torch::zeros({heads_, n_, n_}, torch::kDouble);
    const int64_t c = w_msg_.size(0) / heads_;
    for (int64_t h = 0; h < heads_; ++h) {
      const auto s = torch::matmul(a, head_weight(h).t());  // [N, C]
      const auto src_score = torch::matmul(s, att_src_[h]);
      const auto dst_score = torch::matmul(s, att_dst_[h]);
      auto edge_score = [&](const torch::Tensor& feature) {
        if (!lin_edge_.defined()) return 0.0;
        const auto le = lin_edge_.slice(0, h * c, (h + 1) * c);
        return torch::dot(torch::matmul(le, feature), att_edge_[h]).item<double>();
      };
      auto leaky = [](double v) { return v > 0 ? v : 0.2 * v; };
      for (int64_t i = 0; i < n_; ++i) {
        std::vector<std::pair<int64_t, double>> scores;
        torch::Tensor loop_feature;
        int64_t incoming = 0;
        for (int64_t e = 0; e < num_edges(); ++e) {
          if (dst_[e].item<int64_t>() != i) continue;
          const int64_t j = src_[e].item<int64_t>();
          const double feat = attr_.defined() ? edge_score(attr_[e]) : 0.0;
          scores.emplace_back(
              j, leaky(src_score[j].item<double>() + dst_score[i].item<double>() + feat));
          if (attr_.defined()) {
            loop_feature = loop_feature.defined() ? loop_feature + attr_[e] : attr_[e].clone();
          }
          ++incoming;
        }
        double self_feat = 0;
        if (attr_.defined() && incoming > 0) self_feat = edge_score(loop_feature / incoming);
        scores.emplace_back(
            i, leaky(src_score[i].item<double>() + dst_score[i].item<double>() + self_feat));
        double total = 0;
        for (const auto& [j, v] : scores) total += std::exp(v);
        for (const auto& [j, v] : scores) alpha[h][i][j] += std::exp(v) / total;
      }
    }
    return alpha;
  }

  /// The terms of unit ko of node i's aggregate, as gradient_methods.h states each rule.
  std::vector<Term> terms(const torch::Tensor& a, const torch::Tensor& alpha, int64_t i,
                          int64_t ko) const {
    std::vector<Term> out;
    const int64_t in = a.size(1);
    auto pos = [](double v) { return std::max(v, 0.0); };
    auto add = [&](double value, int64_t edge, int64_t j, int64_t k, double to_node,
                   double to_features = 0) {
      if (value == 0) return;
      Term t;
      t.value = value;
      t.edge = edge;
      t.leaves.emplace_back(j, k, to_node);
      t.to_features = to_features;
      out.push_back(t);
    };
    const double deg = std::max(adj_[i].sum().item<double>(), 1.0);
    for (int64_t k = 0; k < in; ++k) {
      const double a_ik = a[i][k].item<double>();
      if (kind_ == "graphconv" || kind_ == "sage") {
        add(a_ik * pos(w_self_[ko][k].item<double>()), -1, i, k, 1.0);
      } else if ((kind_ == "gin" || kind_ == "gine") && k == ko) {
        add((1 + eps_) * a_ik, -1, i, k, 1.0);
      } else if (kind_ == "gat") {
        const int64_t c = w_msg_.size(0) / heads_, h = ko / c;
        add(alpha[h][i][i].item<double>() * a_ik * pos(w_msg_[ko][k].item<double>()), -1, i, k,
            1.0);
      }
    }
    for (int64_t e = 0; e < num_edges(); ++e) {
      if (dst_[e].item<int64_t>() != i) continue;
      const int64_t j = src_[e].item<int64_t>();
      for (int64_t k = 0; k < in; ++k) {
        const double a_jk = a[j][k].item<double>();
        if (kind_ == "graphconv") {
          add(a_jk * pos(w_msg_[ko][k].item<double>()), e, j, k, 1.0);
        } else if (kind_ == "sage") {
          add(a_jk * pos(w_msg_[ko][k].item<double>()) / deg, e, j, k, 1.0);
        } else if (kind_ == "gin" && k == ko) {
          add(a_jk, e, j, k, 1.0);
        } else if (kind_ == "gine" && k == ko) {
          // The message unit's mass: to a_jk and the features, ∝ a_jk and Σ_d e_d L⁺_kd.
          const double m = message(a, e)[k].item<double>();
          const double feat = torch::dot(edge_w_[k].clamp_min(0), attr_[e]).item<double>();
          const double total = a_jk + feat;  // 0: the unit is on by its bias, its mass dropped
          add(m, e, j, k, total > 0 ? a_jk / total : 0.0, total > 0 ? feat / total : 0.0);
        } else if (kind_ == "gat") {
          const int64_t c = w_msg_.size(0) / heads_, h = ko / c;
          add(alpha[h][i][j].item<double>() * a_jk * pos(w_msg_[ko][k].item<double>()), e, j, k,
              1.0);
        }
      }
    }
    return out;
  }

  std::string kind_;
  int64_t heads_ = 1, n_ = 0;
  torch::Tensor src_, dst_, adj_, attr_;
  torch::Tensor w_msg_, w_self_, b_;
  double eps_ = 0;
  std::vector<torch::Tensor> mlp_w_, mlp_b_;
  torch::Tensor edge_w_, edge_b_;
  torch::Tensor att_src_, att_dst_, lin_edge_, att_edge_;
};

/// A whole model (graph task: mean readout, one linear head; node task: concatenation head)
/// on one graph.
class ModelRef {
 public:
  ModelRef(gnn::GnnModel& model, const Graph& g)
      : graph_task_(model.spec().task == gnn::Task::kGraphClassification),
        x_(g.x().to(torch::kDouble)) {
    std::map<std::string, torch::Tensor> params;
    for (const auto& p : model.named_parameters())
      params[p.key()] = p.value().detach().to(torch::kDouble);
    for (const auto& b : model.named_buffers())
      params[b.key()] = b.value().detach().to(torch::kDouble);
    const std::string kind = gnn::to_string(model.spec().arch);
    for (int64_t l = 0; l < model.spec().num_layers; ++l) {
      layers_.emplace_back(kind, params, "conv" + std::to_string(l) + ".", g, model.spec().heads);
    }
    head_w_ = params.at("head.weight");
    head_b_ = params.at("head.bias");
  }

  struct Pass {
    std::vector<torch::Tensor> z, a;
    torch::Tensor logits;
  };

  Pass forward() const {
    Pass p;
    torch::Tensor h = x_;
    for (const auto& layer : layers_) {
      p.z.push_back(layer.forward(h));
      h = torch::relu(p.z.back());
      p.a.push_back(h);
    }
    const auto features = graph_task_ ? h.mean(0, /*keepdim=*/true) : torch::cat(p.a, 1);
    p.logits = torch::matmul(features, head_w_.t()) + head_b_;
    return p;
  }

  /// Excitation backprop of class c at `target` (node task) or of the graph: the node map, the
  /// edge map and the mass that ended in edge features.
  std::tuple<torch::Tensor, torch::Tensor, double> excitation(int64_t target, int64_t c) const {
    const Pass pass = forward();
    const int64_t layers = static_cast<int64_t>(layers_.size());
    const auto wcp = head_w_[c].clamp_min(0);
    std::vector<torch::Tensor> prob;
    for (const auto& a : pass.a) prob.push_back(torch::zeros_like(a));
    if (graph_task_) {
      const auto& last = pass.a.back();
      const auto pooled = last.mean(0);
      const double den = (pooled * wcp).sum().item<double>();
      for (int64_t k = 0; k < last.size(1); ++k) {
        const double p_pool = den > 0 ? (pooled[k] * wcp[k]).item<double>() / den : 0.0;
        const double col = last.select(1, k).sum().item<double>();
        for (int64_t n = 0; n < last.size(0); ++n) {
          if (col > 0) prob.back()[n][k] = last[n][k].item<double>() * p_pool / col;
        }
      }
    } else {
      std::vector<torch::Tensor> parts;
      for (const auto& a : pass.a) parts.push_back(a[target]);
      const auto cat = torch::cat(parts);
      const double den = (cat * wcp).sum().item<double>();
      int64_t offset = 0;
      for (int64_t l = 0; l < layers; ++l) {
        const int64_t h = pass.a[l].size(1);
        if (den > 0) {
          prob[l][target] += (cat * wcp).slice(0, offset, offset + h) / den;
        }
        offset += h;
      }
    }
    auto edge = torch::zeros({layers_.front().num_edges()}, torch::kDouble);
    double features = 0;
    torch::Tensor input;
    for (int64_t l = layers - 1; l >= 0; --l) {
      const Mass m = layers_[l].excitation(l == 0 ? x_ : pass.a[l - 1], prob[l]);
      edge += m.edge;
      features += m.features;
      if (l > 0) {
        prob[l - 1] += m.input;
      } else {
        input = m.input;
      }
    }
    return {input.sum(1), edge, features};
  }

  /// Guided backprop / deconvolution (GAT, graph task): ∂y_c/∂X and ∂y_c/∂w with `rule` at
  /// every ReLU and α fixed.
  std::pair<torch::Tensor, torch::Tensor> backward(int64_t c, Rule rule) const {
    TORCH_CHECK(graph_task_, "the reference's backward is the graph task's");
    const Pass pass = forward();
    const int64_t n = x_.size(0);
    torch::Tensor g_a = head_w_[c].unsqueeze(0).expand_as(pass.a.back()) / static_cast<double>(n);
    torch::Tensor g_w = torch::zeros({layers_.front().num_edges()}, torch::kDouble);
    for (int64_t l = static_cast<int64_t>(layers_.size()) - 1; l >= 0; --l) {
      const auto g_z = apply_rule(g_a, pass.z[l], rule);
      auto [g_in, g_edge] = layers_[l].backward(l == 0 ? x_ : pass.a[l - 1], g_z);
      g_w += g_edge;
      g_a = g_in;
    }
    return {g_a, g_w};
  }

 private:
  bool graph_task_;
  torch::Tensor x_;
  std::vector<LayerRef> layers_;
  torch::Tensor head_w_, head_b_;
};

// --- the models and graphs the rule tests share ---------------------------------------------

/// Every layer type, for the tests of rules that apply to all of them (LRP, GNN-LRP).
inline const std::vector<gnn::Architecture> kEveryArch = {
    gnn::Architecture::kGcn, gnn::Architecture::kGraphConv, gnn::Architecture::kSage,
    gnn::Architecture::kGin, gnn::Architecture::kGine,      gnn::Architecture::kGat};

// Non-negative edge features [E, 2] from a fixed formula (GINE reads them in its messages, GAT
// in its attention; the others ignore them).
inline Graph with_edge_features(const Graph& g, double scale = 1.0) {
  const auto e = torch::arange(g.num_edges() * 2, torch::kDouble).reshape({-1, 2});
  const auto attr = (scale * (torch::sin(0.9 * e + 0.4) + 1.0) / 2).to(torch::kFloat);
  return {g.num_nodes(), g.edge_index(), g.x(), g.y(), attr};
}

inline gnn::ModelSpec rule_spec(gnn::Architecture arch, gnn::Task task) {
  gnn::ModelSpec spec = gradient_test::base_spec(task);
  spec.arch = arch;
  spec.hidden = 4;
  if (arch == gnn::Architecture::kGat) spec.heads = 2;
  if (arch == gnn::Architecture::kGine || arch == gnn::Architecture::kGat) spec.edge_dim = 2;
  // A learned ε takes a value from set_parameters, so that 1 + ε ≠ 1 is exercised.
  spec.train_eps = arch == gnn::Architecture::kGin || arch == gnn::Architecture::kGine;
  return spec;
}

inline std::shared_ptr<gnn::GnnModel> rule_model(gnn::Architecture arch, gnn::Task task,
                                                 bool positive) {
  auto model = gnn::make_model(rule_spec(arch, task));
  gradient_test::set_parameters(*model, 0.9, 0.05, positive);
  model->eval();
  return model;
}

inline std::vector<Graph> rule_graphs() {
  return {with_edge_features(gradient_test::triangle_graph()),
          with_edge_features(gradient_test::small_path_graph())};
}

}  // namespace gnnx::explainers::layer_rules_test
