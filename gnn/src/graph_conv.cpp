#include <gnnx/gnn/dense.h>
#include <gnnx/gnn/graph_conv.h>

#include "message_passing.h"

#include <ostream>

namespace gnnx::gnn {

GraphConvImpl::GraphConvImpl(const GraphConvOptions& options) : options_(options) { reset(); }

void GraphConvImpl::reset() {
  TORCH_CHECK(options_.in_features() > 0 && options_.out_features() > 0,
              "GraphConv: feature sizes must be positive, got in_features=", options_.in_features(),
              " out_features=", options_.out_features());
  lin_rel_ = register_module(
      "lin_rel",
      torch::nn::Linear(torch::nn::LinearOptions(options_.in_features(), options_.out_features())
                            .bias(options_.bias())));
  lin_root_ = register_module(
      "lin_root",
      torch::nn::Linear(
          torch::nn::LinearOptions(options_.in_features(), options_.out_features()).bias(false)));
}

void GraphConvImpl::pretty_print(std::ostream& stream) const {
  stream << "gnnx::gnn::GraphConv(in_features=" << options_.in_features()
         << ", out_features=" << options_.out_features() << ", bias=" << std::boolalpha
         << options_.bias() << ")";
}

torch::Tensor GraphConvImpl::forward(const torch::Tensor& x, const GcnAdjacency& adj,
                                     const torch::Tensor& edge_mask) {
  constexpr const char* kFn = "GraphConv";
  detail::check_node_features(kFn, adj, x, options_.in_features());
  detail::check_edge_mask(kFn, adj, edge_mask, x);
  const auto rel = dense_linear(x, lin_rel_->weight);
  torch::Tensor out = csr_spmm(adj, detail::csr_values(adj, {}, edge_mask, x), {}, rel);
  if (lin_rel_->bias.defined()) out = out + lin_rel_->bias;
  return out + dense_linear(x, lin_root_->weight);
}

}  // namespace gnnx::gnn
