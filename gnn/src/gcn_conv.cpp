#include <gnnx/gnn/dense.h>
#include <gnnx/gnn/gcn_conv.h>

#include <cmath>
#include <ostream>

namespace gnnx::gnn {

GCNConvImpl::GCNConvImpl(const GCNConvOptions& options_) : options(options_) { reset(); }

void GCNConvImpl::reset() {
  TORCH_CHECK(options.in_features() > 0 && options.out_features() > 0,
              "GCNConv: feature sizes must be positive, got in_features=",
              options.in_features(), " out_features=", options.out_features());
  weight = register_parameter("weight",
                              torch::empty({options.in_features(), options.out_features()}));
  const double bound = std::sqrt(6.0 / double(options.in_features() + options.out_features()));
  {
    torch::NoGradGuard no_grad;
    weight.uniform_(-bound, bound);
  }
  if (options.bias()) {
    bias = register_parameter("bias",
                              torch::full({options.out_features()}, options.bias_init()));
  } else {
    bias = register_parameter("bias", torch::Tensor(), /*requires_grad=*/false);
  }
}

void GCNConvImpl::pretty_print(std::ostream& stream) const {
  stream << "gnnx::gnn::GCNConv(in_features=" << options.in_features()
         << ", out_features=" << options.out_features() << ", bias=" << std::boolalpha
         << options.bias() << ", edge_weight_mode="
         << (options.edge_weight_mode() == EdgeWeightMode::kMask ? "mask" : "adjacency") << ")";
}

torch::Tensor GCNConvImpl::forward(const torch::Tensor& x, const GcnAdjacency& adj,
                                   const torch::Tensor& edge_weight) {
  TORCH_CHECK(x.dim() == 2 && x.size(1) == options.in_features(), "GCNConv: x must be [N, ",
              options.in_features(), "], got ", x.sizes());
  // Transform first: propagating the narrower of the two widths is cheaper, and for explainers
  // out_features is usually the smaller.
  auto out = gcn_propagate(adj, dense_matmul(x, weight), edge_weight, options.edge_weight_mode());
  if (bias.defined()) out = out + bias;
  return out;
}

}  // namespace gnnx::gnn
