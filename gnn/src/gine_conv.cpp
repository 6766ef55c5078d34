#include <gnnx/gnn/dense.h>
#include <gnnx/gnn/gine_conv.h>

#include "device_adjacency.h"
#include "gin_mlp.h"
#include "message_passing.h"

#include <ostream>

namespace gnnx::gnn {

GINEConvImpl::GINEConvImpl(const GINEConvOptions& options) : options_(options) { reset(); }

void GINEConvImpl::reset() {
  TORCH_CHECK(options_.in_features() > 0 && options_.out_features() > 0 && options_.hidden() >= 0 &&
                  options_.edge_dim() >= 0,
              "GINEConv: feature sizes must be positive, got in_features=", options_.in_features(),
              " out_features=", options_.out_features(), " hidden=", options_.hidden(),
              " edge_dim=", options_.edge_dim());
  const int64_t hidden = options_.hidden() > 0 ? options_.hidden() : options_.out_features();
  nn_ = register_module("nn", detail::make_gin_mlp(options_.in_features(), hidden,
                                                   options_.out_features(), options_.mlp_layers()));
  if (options_.edge_dim() > 0) {
    lin_ = register_module("lin", torch::nn::Linear(options_.edge_dim(), options_.in_features()));
  }
  const auto eps = torch::full({1}, options_.eps());
  eps_ = options_.train_eps() ? register_parameter("eps", eps) : register_buffer("eps", eps);
}

void GINEConvImpl::pretty_print(std::ostream& stream) const {
  stream << "gnnx::gnn::GINEConv(in_features=" << options_.in_features()
         << ", out_features=" << options_.out_features() << ", edge_dim=" << options_.edge_dim()
         << ", mlp_layers=" << options_.mlp_layers() << ", eps=" << options_.eps()
         << ", train_eps=" << std::boolalpha << options_.train_eps() << ")";
}

torch::Tensor GINEConvImpl::forward(const torch::Tensor& x, const GcnAdjacency& adj,
                                    const torch::Tensor& edge_attr, const torch::Tensor& edge_mask,
                                    ReluRule relu) {
  constexpr const char* kFn = "GINEConv";
  detail::check_node_features(kFn, adj, x, options_.in_features());
  detail::check_edge_mask(kFn, adj, edge_mask, x);
  const int64_t attr_width = lin_ ? options_.edge_dim() : options_.in_features();
  detail::check_edge_attr(kFn, adj, edge_attr, attr_width, x);
  torch::Tensor e = edge_attr.to(x.scalar_type());
  if (lin_) e = dense_linear(e, lin_->weight, lin_->bias);
  const auto& src = adj.on_device(x.device()).src;
  torch::Tensor messages = relu_with_rule(x.index_select(0, src) + e, relu);  // [E, in]
  if (edge_mask.defined()) messages = messages * edge_mask.to(x.scalar_type()).unsqueeze(1);
  const auto h = detail::sum_messages(adj, messages) + (1 + eps_.to(x.scalar_type())) * x;
  return detail::run_gin_mlp(nn_, h, relu);
}

}  // namespace gnnx::gnn
