#include <gnnx/gnn/gin_conv.h>

#include "gin_mlp.h"
#include "message_passing.h"

#include <ostream>

namespace gnnx::gnn {

GINConvImpl::GINConvImpl(const GINConvOptions& options) : options_(options) { reset(); }

void GINConvImpl::reset() {
  TORCH_CHECK(options_.in_features() > 0 && options_.out_features() > 0 && options_.hidden() >= 0,
              "GINConv: feature sizes must be positive, got in_features=", options_.in_features(),
              " out_features=", options_.out_features(), " hidden=", options_.hidden());
  const int64_t hidden = options_.hidden() > 0 ? options_.hidden() : options_.out_features();
  nn_ = register_module("nn", detail::make_gin_mlp(options_.in_features(), hidden,
                                                   options_.out_features(), options_.mlp_layers()));
  const auto eps = torch::full({1}, options_.eps());
  eps_ = options_.train_eps() ? register_parameter("eps", eps) : register_buffer("eps", eps);
}

void GINConvImpl::pretty_print(std::ostream& stream) const {
  stream << "gnnx::gnn::GINConv(in_features=" << options_.in_features()
         << ", out_features=" << options_.out_features() << ", mlp_layers=" << options_.mlp_layers()
         << ", eps=" << options_.eps() << ", train_eps=" << std::boolalpha << options_.train_eps()
         << ")";
}

torch::Tensor GINConvImpl::forward(const torch::Tensor& x, const GcnAdjacency& adj,
                                   const torch::Tensor& edge_mask, ReluRule relu) {
  constexpr const char* kFn = "GINConv";
  detail::check_node_features(kFn, adj, x, options_.in_features());
  detail::check_edge_mask(kFn, adj, edge_mask, x);
  // (1 + ε) x_i + Σ m_e x_j in one SpMM: the self term is its diagonal (and ε gets its gradient
  // through it).
  const auto self = (1 + eps_.to(x.scalar_type())).expand({adj.num_nodes()});
  const auto h = csr_spmm(adj, detail::csr_values(adj, {}, edge_mask, x), self, x);
  return detail::run_gin_mlp(nn_, h, relu);
}

}  // namespace gnnx::gnn
