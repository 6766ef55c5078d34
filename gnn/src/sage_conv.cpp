#include <gnnx/gnn/dense.h>
#include <gnnx/gnn/sage_conv.h>

#include "device_adjacency.h"
#include "message_passing.h"

#include <ostream>

namespace gnnx::gnn {

SAGEConvImpl::SAGEConvImpl(const SAGEConvOptions& options) : options_(options) { reset(); }

void SAGEConvImpl::reset() {
  TORCH_CHECK(options_.in_features() > 0 && options_.out_features() > 0,
              "SAGEConv: feature sizes must be positive, got in_features=", options_.in_features(),
              " out_features=", options_.out_features());
  lin_l_ = register_module(
      "lin_l",
      torch::nn::Linear(torch::nn::LinearOptions(options_.in_features(), options_.out_features())
                            .bias(options_.bias())));
  if (options_.root_weight()) {
    lin_r_ = register_module(
        "lin_r",
        torch::nn::Linear(
            torch::nn::LinearOptions(options_.in_features(), options_.out_features()).bias(false)));
  }
}

void SAGEConvImpl::pretty_print(std::ostream& stream) const {
  stream << "gnnx::gnn::SAGEConv(in_features=" << options_.in_features()
         << ", out_features=" << options_.out_features() << ", aggr=mean, bias=" << std::boolalpha
         << options_.bias() << ", root_weight=" << options_.root_weight()
         << ", normalize=" << options_.normalize() << ")";
}

torch::Tensor SAGEConvImpl::forward(const torch::Tensor& x, const GcnAdjacency& adj,
                                    const torch::Tensor& edge_mask) {
  constexpr const char* kFn = "SAGEConv";
  detail::check_node_features(kFn, adj, x, options_.in_features());
  detail::check_edge_mask(kFn, adj, edge_mask, x);
  // 1 / deg of each edge's target, from the unmasked graph (the mask does not change it).
  const auto inv_deg = detail::in_degree(adj, x).clamp_min(1).reciprocal();
  const auto per_edge = inv_deg.index_select(0, adj.on_device(x.device()).dst);
  const auto neighbours = dense_linear(x, lin_l_->weight);
  torch::Tensor out =
      csr_spmm(adj, detail::csr_values(adj, per_edge, edge_mask, x), {}, neighbours);
  if (lin_l_->bias.defined()) out = out + lin_l_->bias;
  if (lin_r_) out = out + dense_linear(x, lin_r_->weight);
  if (options_.normalize()) {
    // F.normalize(p=2): the clamp keeps an all-zero row (and its gradient) finite.
    out = out / out.norm(2, /*dim=*/1, /*keepdim=*/true).clamp_min(1e-12);
  }
  return out;
}

}  // namespace gnnx::gnn
