// Excitation backprop through one message-passing layer: GCN's rule (Pope et al. 2019) and the
// linear-paths rule of every other layer type (GraphConv, SAGE, GIN, GINE, GAT).

#include "excitation_layers.h"

#include "machinery.h"

namespace gnnx::explainers::detail {

torch::Tensor safe_ratio(const torch::Tensor& num, const torch::Tensor& den) {
  return torch::where(den > 0, num / den.clamp_min(1e-300), torch::zeros_like(num));
}

torch::Tensor linear_step(const torch::Tensor& a, const torch::Tensor& w_pos,
                          const torch::Tensor& p_out) {
  const auto den = torch::matmul(a, w_pos.t());  // [T, M]
  return a * torch::matmul(safe_ratio(p_out, den), w_pos);
}

LayerMass gcn_layer_mass(const TargetBatch& batch, gnn::Aggregation aggregation,
                         const torch::Tensor& a, const torch::Tensor& w,
                         const torch::Tensor& p_out) {
  // Â's entries as the layer uses them: per edge s -> d and per node (its own term).
  const auto& adj = batch.adj;
  const auto opts = torch::TensorOptions().dtype(torch::kDouble);
  torch::Tensor edge_coef, self_coef;
  switch (aggregation) {
    case gnn::Aggregation::kSymmetric:
      edge_coef = adj.edge_norm().to(torch::kDouble);
      self_coef = adj.self_norm().to(torch::kDouble);
      break;
    case gnn::Aggregation::kSum:
    case gnn::Aggregation::kSumSelf:
      edge_coef = torch::ones({adj.num_edges()}, opts);
      self_coef = aggregation == gnn::Aggregation::kSumSelf ? torch::ones({a.size(0)}, opts)
                                                            : torch::zeros({a.size(0)}, opts);
      break;
  }
  const auto& src = adj.src();
  const auto& dst = adj.dst();
  // out[n, k] = Σ_{n', k'} Â_{n,n'} a[n', k'] W_{k',k}.
  const auto w_pos = to_double(w).clamp_min(0);  // [K, H], on the host
  const auto aw = torch::matmul(a, w_pos);       // [N, H]
  const auto den = (self_coef.unsqueeze(1) * aw)
                       .index_add(0, dst, aw.index_select(0, src) * edge_coef.unsqueeze(1));
  const auto u = torch::matmul(safe_ratio(p_out, den), w_pos.t());  // [N, K]
  // Âᵀ u: what each node's inputs receive.
  const auto back = (self_coef.unsqueeze(1) * u)
                        .index_add(0, src, u.index_select(0, dst) * edge_coef.unsqueeze(1));
  LayerMass m;
  m.input = a * back;
  // The mass that flows along s -> d: Â_{d,s} Σ_k' a[s, k'] u[d, k'].
  m.edge = edge_coef * (a.index_select(0, src) * u.index_select(0, dst)).sum(1);
  return m;
}

LayerMass paths_layer_mass(const TargetBatch& batch, const gnn::LayerPaths& paths,
                           const torch::Tensor& a, const torch::Tensor& p_out) {
  const auto& src = batch.adj.src();
  const auto& dst = batch.adj.dst();
  const auto c = to_double(paths.edge_coef);    // [E, H]
  const auto s = to_double(paths.self_coef);    // [N, H]
  const auto w = to_double(paths.message_map);  // [H, in, Z]
  const auto v = to_double(paths.self_map);
  const int64_t heads = w.size(0);

  // The messages m_e and, for GINE, the edge features' positive contribution to each unit.
  torch::Tensor m = a.index_select(0, src);  // [E, in]
  torch::Tensor from_features;
  if (paths.edge_features.defined()) {
    const auto e = to_double(paths.edge_features);       // [E, D]
    const auto l = to_double(paths.edge_linear.weight);  // [in, D]
    auto t = torch::matmul(e, l.t());
    if (paths.edge_linear.bias.defined()) t = t + to_double(paths.edge_linear.bias);
    m = torch::relu(m + t);
    from_features = torch::matmul(e, l.clamp_min(0).t());
  }

  // Σ_h (s_h x V_h + Σ_e c_eh m_e W_h) for maps W, V (as given, or their positive parts).
  const auto aggregate = [&](const torch::Tensor& wm, const torch::Tensor& vm) {
    auto z = torch::zeros({a.size(0), wm.size(2)}, a.options());
    for (int64_t h = 0; h < heads; ++h) {
      z += s.select(1, h).unsqueeze(1) * torch::matmul(a, vm[h]);
      z.index_add_(0, dst, c.select(1, h).unsqueeze(1) * torch::matmul(m, wm[h]));
    }
    return z;
  };

  // GIN's MLP as a stack of linear layers (biases left out of the shares, as everywhere): its
  // activations from the actual aggregate, then the mass down from its output to z.
  torch::Tensor p_z = p_out;
  if (!paths.mlp.empty()) {
    std::vector<torch::Tensor> inputs = {aggregate(w, v)};
    for (size_t k = 0; k + 1 < paths.mlp.size(); ++k) {
      auto r = torch::matmul(inputs.back(), to_double(paths.mlp[k].weight).t());
      if (paths.mlp[k].bias.defined()) r = r + to_double(paths.mlp[k].bias);
      inputs.push_back(torch::relu(r));
    }
    for (size_t k = paths.mlp.size(); k-- > 0;) {
      p_z = linear_step(inputs[k], to_double(paths.mlp[k].weight).clamp_min(0), p_z);
    }
  }

  // The aggregation: z_i's mass to the node's own term and each incoming message, in proportion
  // to c_eh m_e W⁺_h and s_ih x_i V⁺_h.
  const auto w_pos = w.clamp_min(0);
  const auto v_pos = v.clamp_min(0);
  const auto ratio = safe_ratio(p_z, aggregate(w_pos, v_pos));  // [N, Z]
  const auto ratio_dst = ratio.index_select(0, dst);
  LayerMass out;
  out.input = torch::zeros_like(a);
  auto through = torch::zeros_like(m);  // [E, in] mass of each message unit
  for (int64_t h = 0; h < heads; ++h) {
    out.input += s.select(1, h).unsqueeze(1) * a * torch::matmul(ratio, v_pos[h].t());
    through += c.select(1, h).unsqueeze(1) * m * torch::matmul(ratio_dst, w_pos[h].t());
  }
  out.edge = through.sum(1);
  torch::Tensor to_source = through;
  if (from_features.defined()) {
    // GINE: a message unit ReLU(x_jk + Σ_d e_d L_kd + b_k) hands its mass to x_jk (weight 1)
    // and to the edge's features in proportion to x_jk and Σ_d e_d L⁺_kd; the latter ends there.
    const auto x_src = a.index_select(0, src);
    const auto total = x_src + from_features;
    to_source = through * safe_ratio(x_src, total);
    out.edge_features = (through * safe_ratio(from_features, total)).sum(1);
  } else {
    out.edge_features = torch::zeros_like(out.edge);
  }
  out.input.index_add_(0, src, to_source);
  return out;
}

}  // namespace gnnx::explainers::detail
