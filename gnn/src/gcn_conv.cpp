#include <gnnx/gnn/dense.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/gcn_conv.h>

#include "device_adjacency.h"
#include "message_passing.h"

#include <cmath>
#include <ostream>

namespace gnnx::gnn {

namespace {

/// out = A x (+ x with self_loop): the raw sum of the messages, each times its edge weight.
torch::Tensor sum_propagate(const GcnAdjacency& adj, const torch::Tensor& x,
                            const torch::Tensor& edge_weight, bool self_loop) {
  TORCH_CHECK(
      !edge_weight.defined() || (edge_weight.dim() == 1 && edge_weight.size(0) == adj.num_edges()),
      "GCNConv: edge_weight must be [", adj.num_edges(), "] (one per edge), got ",
      edge_weight.sizes());
  TORCH_CHECK(!edge_weight.defined() || edge_weight.device() == x.device(),
              "GCNConv: edge_weight is on ", edge_weight.device(), " but x on ", x.device());
  // csr_spmm takes its values in CSR order (ones where there is no weight).
  const torch::Tensor values = detail::csr_values(adj, {}, edge_weight, x);
  const torch::Tensor diag =
      self_loop ? torch::ones({adj.num_nodes()}, x.options()) : torch::Tensor();
  return csr_spmm(adj, values, diag, x);
}

}  // namespace

std::string to_string(Aggregation aggregation) {
  switch (aggregation) {
    case Aggregation::kSymmetric:
      return "symmetric";
    case Aggregation::kSum:
      return "sum";
    case Aggregation::kSumSelf:
      return "sum-self";
  }
  TORCH_INTERNAL_ASSERT(false, "unknown Aggregation ", static_cast<int>(aggregation));
}

std::string to_string(EmbeddingNorm norm) {
  switch (norm) {
    case EmbeddingNorm::kNone:
      return "none";
    case EmbeddingNorm::kL2:
      return "l2";
  }
  TORCH_INTERNAL_ASSERT(false, "unknown EmbeddingNorm ", static_cast<int>(norm));
}

Aggregation parse_aggregation(const std::string& name) {
  if (name == "symmetric") return Aggregation::kSymmetric;
  if (name == "sum") return Aggregation::kSum;
  if (name == "sum-self") return Aggregation::kSumSelf;
  throw InputError("unknown aggregation '" + name + "' (valid: symmetric, sum, sum-self)");
}

EmbeddingNorm parse_embedding_norm(const std::string& name) {
  if (name == "none") return EmbeddingNorm::kNone;
  if (name == "l2") return EmbeddingNorm::kL2;
  throw InputError("unknown embedding norm '" + name + "' (valid: none, l2)");
}

GCNConvImpl::GCNConvImpl(const GCNConvOptions& options_) : options(options_) { reset(); }

void GCNConvImpl::reset() {
  TORCH_CHECK(options.in_features() > 0 && options.out_features() > 0,
              "GCNConv: feature sizes must be positive, got in_features=", options.in_features(),
              " out_features=", options.out_features());
  weight =
      register_parameter("weight", torch::empty({options.in_features(), options.out_features()}));
  const double bound = std::sqrt(6.0 / double(options.in_features() + options.out_features()));
  {
    torch::NoGradGuard no_grad;
    weight.uniform_(-bound, bound);
  }
  if (options.bias()) {
    bias = register_parameter("bias", torch::full({options.out_features()}, options.bias_init()));
  } else {
    bias = register_parameter("bias", torch::Tensor(), /*requires_grad=*/false);
  }
}

void GCNConvImpl::pretty_print(std::ostream& stream) const {
  stream << "gnnx::gnn::GCNConv(in_features=" << options.in_features()
         << ", out_features=" << options.out_features() << ", bias=" << std::boolalpha
         << options.bias() << ", edge_weight_mode="
         << (options.edge_weight_mode() == EdgeWeightMode::kMask ? "mask" : "adjacency")
         << ", aggregation=" << to_string(options.aggregation())
         << ", embedding_norm=" << to_string(options.embedding_norm()) << ")";
}

torch::Tensor GCNConvImpl::forward(const torch::Tensor& x, const GcnAdjacency& adj,
                                   const torch::Tensor& edge_weight) {
  TORCH_CHECK(x.dim() == 2 && x.size(1) == options.in_features(), "GCNConv: x must be [N, ",
              options.in_features(), "], got ", x.sizes());
  // Transform first: propagating the narrower of the two widths is cheaper, and for explainers
  // out_features is usually the smaller.
  const torch::Tensor h = dense_matmul(x, weight);
  torch::Tensor out;
  switch (options.aggregation()) {
    case Aggregation::kSymmetric:
      out = gcn_propagate(adj, h, edge_weight, options.edge_weight_mode());
      break;
    case Aggregation::kSum:
      out = sum_propagate(adj, h, edge_weight, /*self_loop=*/false);
      break;
    case Aggregation::kSumSelf:
      out = sum_propagate(adj, h, edge_weight, /*self_loop=*/true);
      break;
  }
  TORCH_INTERNAL_ASSERT(out.defined(), "unknown Aggregation");
  if (bias.defined()) out = out + bias;
  if (options.embedding_norm() == EmbeddingNorm::kL2) {
    // F.normalize(p=2): the clamp keeps an all-zero row (and its gradient) finite.
    out = out / out.norm(2, /*dim=*/1, /*keepdim=*/true).clamp_min(1e-12);
  }
  return out;
}

}  // namespace gnnx::gnn
