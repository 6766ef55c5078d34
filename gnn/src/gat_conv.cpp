#include <gnnx/gnn/dense.h>
#include <gnnx/gnn/gat_conv.h>

#include "device_adjacency.h"
#include "message_passing.h"

#include <cmath>
#include <limits>
#include <ostream>
#include <vector>

namespace gnnx::gnn {
namespace {

/// PyG's glorot: uniform in ±sqrt(6 / (size(-2) + size(-1))).
void glorot_(torch::Tensor& t) {
  torch::NoGradGuard no_grad;
  const double bound = std::sqrt(6.0 / double(t.size(-2) + t.size(-1)));
  t.uniform_(-bound, bound);
}

/// (features [R, heads·C] viewed [R, heads, C] · att [1, heads, C]).sum(-1): [R, heads].
torch::Tensor head_scores(const torch::Tensor& features, const torch::Tensor& att) {
  return (features.view({features.size(0), att.size(1), att.size(2)}) * att).sum(-1);
}

}  // namespace

GATConvImpl::GATConvImpl(const GATConvOptions& options) : options_(options) { reset(); }

int64_t GATConvImpl::output_width() const {
  return options_.concat() ? options_.heads() * options_.out_features() : options_.out_features();
}

void GATConvImpl::reset() {
  TORCH_CHECK(options_.in_features() > 0 && options_.out_features() > 0 && options_.heads() > 0 &&
                  options_.edge_dim() >= 0,
              "GATConv: sizes must be positive, got in_features=", options_.in_features(),
              " out_features=", options_.out_features(), " heads=", options_.heads(),
              " edge_dim=", options_.edge_dim());
  TORCH_CHECK(options_.dropout() >= 0 && options_.dropout() < 1,
              "GATConv: dropout must be in [0, 1), got ", options_.dropout());
  const int64_t heads = options_.heads(), c = options_.out_features();
  lin_ = register_module(
      "lin",
      torch::nn::Linear(torch::nn::LinearOptions(options_.in_features(), heads * c).bias(false)));
  glorot_(lin_->weight);
  att_src_ = register_parameter("att_src", torch::empty({1, heads, c}));
  att_dst_ = register_parameter("att_dst", torch::empty({1, heads, c}));
  glorot_(att_src_);
  glorot_(att_dst_);
  if (options_.edge_dim() > 0) {
    lin_edge_ = register_module(
        "lin_edge",
        torch::nn::Linear(torch::nn::LinearOptions(options_.edge_dim(), heads * c).bias(false)));
    glorot_(lin_edge_->weight);
    att_edge_ = register_parameter("att_edge", torch::empty({1, heads, c}));
    glorot_(att_edge_);
  }
  if (options_.bias()) bias_ = register_parameter("bias", torch::zeros({output_width()}));
}

void GATConvImpl::pretty_print(std::ostream& stream) const {
  stream << "gnnx::gnn::GATConv(in_features=" << options_.in_features()
         << ", out_features=" << options_.out_features() << ", heads=" << options_.heads()
         << ", concat=" << std::boolalpha << options_.concat()
         << ", negative_slope=" << options_.negative_slope() << ", dropout=" << options_.dropout()
         << ", add_self_loops=" << options_.add_self_loops() << ", edge_dim=" << options_.edge_dim()
         << ", bias=" << options_.bias() << ")";
}

torch::Tensor GATConvImpl::forward(const torch::Tensor& x, const GcnAdjacency& adj,
                                   const torch::Tensor& edge_attr, const torch::Tensor& edge_mask,
                                   Attention attention) {
  return forward_with_attention(x, adj, edge_attr, edge_mask, attention).out;
}

GATOutput GATConvImpl::forward_with_attention(const torch::Tensor& x, const GcnAdjacency& adj,
                                              const torch::Tensor& edge_attr,
                                              const torch::Tensor& edge_mask, Attention attention) {
  constexpr const char* kFn = "GATConv";
  detail::check_node_features(kFn, adj, x, options_.in_features());
  detail::check_edge_mask(kFn, adj, edge_mask, x);
  if (lin_edge_) detail::check_edge_attr(kFn, adj, edge_attr, options_.edge_dim(), x);
  const int64_t n = adj.num_nodes(), e = adj.num_edges();
  const int64_t heads = options_.heads(), c = options_.out_features();
  const auto& on = adj.on_device(x.device());
  const bool self_loops = options_.add_self_loops();
  constexpr double kInf = std::numeric_limits<double>::infinity();

  const auto h = dense_linear(x, lin_->weight);  // [N, heads·C]
  const auto score_src = head_scores(h, att_src_);
  const auto score_dst = head_scores(h, att_dst_);
  torch::Tensor logits = score_src.index_select(0, on.src) + score_dst.index_select(0, on.dst);
  torch::Tensor self_logits = self_loops ? score_src + score_dst : torch::Tensor();
  // The graph's own self-loops: PyG removes them before adding its own (they get α = 0).
  const torch::Tensor own_loop =
      self_loops ? (on.src == on.dst).unsqueeze(1) : torch::Tensor();  // [E, 1] bool
  if (lin_edge_) {
    const auto attr = edge_attr.to(x.scalar_type());
    logits = logits + head_scores(dense_linear(attr, lin_edge_->weight), att_edge_);
    if (self_loops) {
      // The added self-loop's features: the mean over the node's other incoming edges.
      const auto other = (~own_loop).to(x.scalar_type());
      const auto loop_attr =
          detail::sum_messages(adj, attr * other) / detail::sum_messages(adj, other).clamp_min(1);
      self_logits =
          self_logits + head_scores(dense_linear(loop_attr, lin_edge_->weight), att_edge_);
    }
  }
  logits = torch::leaky_relu(logits, options_.negative_slope());
  if (self_loops) {
    self_logits = torch::leaky_relu(self_logits, options_.negative_slope());
    logits = logits.masked_fill(own_loop, -kInf);
  }

  // Softmax over each target's incoming edges (and its self-loop), per head. The max only keeps
  // exp() in range: it cancels, and carries no gradient (as in PyG).
  torch::Tensor node_max;
  {
    torch::NoGradGuard no_grad;
    node_max = torch::full({n, heads}, -kInf, x.options())
                   .scatter_reduce(0, on.dst.unsqueeze(1).expand({e, heads}), logits, "amax");
    if (self_loops) node_max = torch::maximum(node_max, self_logits);
    node_max = node_max.masked_fill(node_max.isinf(), 0);  // nodes without any entry
  }
  const auto edge_exp = (logits - node_max.index_select(0, on.dst)).exp();  // [E, heads]
  torch::Tensor denominator = detail::sum_messages(adj, edge_exp);
  torch::Tensor self_exp;
  if (self_loops) {
    self_exp = (self_logits - node_max).exp();
    denominator = denominator + self_exp;
  }
  denominator = denominator + 1e-16;  // PyG's softmax: a node without entries divides by this
  GATOutput result;
  result.alpha = edge_exp / denominator.index_select(0, on.dst);
  if (self_loops) result.self_alpha = self_exp / denominator;
  if (options_.dropout() > 0 && is_training()) {
    result.alpha = torch::dropout(result.alpha, options_.dropout(), /*train=*/true);
    if (self_loops) {
      result.self_alpha = torch::dropout(result.self_alpha, options_.dropout(), /*train=*/true);
    }
  }

  if (attention == Attention::kFixed) {
    // Constants from here on: the gradient reaches x only through W x_j (and m through α m).
    result.alpha = result.alpha.detach();
    if (self_loops) result.self_alpha = result.self_alpha.detach();
  }

  // One SpMM per head: values α^h m (CSR order), diagonal the self-loops' α^h.
  const auto h3 = h.view({n, heads, c});
  std::vector<torch::Tensor> per_head;
  for (int64_t k = 0; k < heads; ++k) {
    const auto values = detail::csr_values(adj, result.alpha.select(1, k), edge_mask, x);
    const auto diag = self_loops ? result.self_alpha.select(1, k) : torch::Tensor();
    per_head.push_back(csr_spmm(adj, values, diag, h3.select(1, k)));
  }
  torch::Tensor out = torch::stack(per_head, /*dim=*/1);  // [N, heads, C]
  out = options_.concat() ? out.reshape({n, heads * c}) : out.mean(/*dim=*/1);
  if (bias_.defined()) out = out + bias_;
  result.out = out;
  return result;
}

}  // namespace gnnx::gnn
