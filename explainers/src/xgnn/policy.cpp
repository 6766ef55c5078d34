#include "xgnn/policy.h"

#include <ATen/ops/mm.h>
#include <torch/nn/functional/activation.h>

#include <cmath>
#include <iterator>
#include <limits>
#include <string>

namespace gnnx::explainers::xgnn_detail {
namespace {

constexpr int64_t kInputWidth = 8;
constexpr int64_t kGcnWidths[] = {16, 24, 32};
constexpr int64_t kStartHidden = 16;
constexpr int64_t kEndHidden = 24;

// D^-1/2 (A + I) D^-1/2 of the graph plus `num_types` isolated candidates, dense [m, m].
torch::Tensor normalised_adjacency(const GeneratedGraph& graph, int64_t num_types) {
  const int64_t n = graph.num_nodes();
  const int64_t m = n + num_types;
  std::vector<float> a(static_cast<size_t>(m * m), 0.0F);
  std::vector<float> degree(static_cast<size_t>(m), 1.0F);  // the self-loop
  for (const auto& e : graph.edges) {
    a[e[0] * m + e[1]] = 1.0F;
    a[e[1] * m + e[0]] = 1.0F;
    degree[e[0]] += 1.0F;
    degree[e[1]] += 1.0F;
  }
  for (int64_t i = 0; i < m; ++i) a[i * m + i] = 1.0F;
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < m; ++j) {
      if (a[i * m + j] != 0.0F) a[i * m + j] /= std::sqrt(degree[i] * degree[j]);
    }
  }
  return torch::from_blob(a.data(), {m, m}, torch::kFloat).clone();
}

// 0 where allowed, -inf elsewhere, to add to logits before the softmax.
torch::Tensor logit_mask(int64_t size, const std::vector<uint8_t>& allowed) {
  torch::Tensor mask = torch::zeros({size}, torch::kFloat);
  auto acc = mask.accessor<float, 1>();
  for (size_t i = 0; i < allowed.size(); ++i) {
    if (!allowed[i]) acc[static_cast<int64_t>(i)] = -std::numeric_limits<float>::infinity();
  }
  return mask;
}

torch::Tensor one_hot_types(const GeneratedGraph& graph, int64_t num_types) {
  const int64_t n = graph.num_nodes();
  torch::Tensor x = torch::zeros({n + num_types, num_types}, torch::kFloat);
  auto acc = x.accessor<float, 2>();
  for (int64_t i = 0; i < n; ++i) acc[i][graph.types[i]] = 1.0F;
  for (int64_t t = 0; t < num_types; ++t) acc[n + t][t] = 1.0F;
  return x;
}

}  // namespace

PolicyImpl::PolicyImpl(int64_t num_types) : num_types_(num_types) {
  input_ = register_module("input", torch::nn::Linear(num_types, kInputWidth));
  int64_t width = kInputWidth;
  for (size_t i = 0; i < std::size(kGcnWidths); ++i) {
    gcn_.emplace_back(
        register_module("gcn" + std::to_string(i), torch::nn::Linear(width, kGcnWidths[i])));
    width = kGcnWidths[i];
  }
  start_hidden_ = register_module("start_hidden", torch::nn::Linear(width, kStartHidden));
  start_out_ = register_module("start_out", torch::nn::Linear(kStartHidden, 1));
  end_hidden_ = register_module("end_hidden", torch::nn::Linear(2 * width, kEndHidden));
  end_out_ = register_module("end_out", torch::nn::Linear(kEndHidden, 1));
}

torch::Tensor PolicyImpl::embed(const GeneratedGraph& graph) {
  const torch::Tensor adjacency = normalised_adjacency(graph, num_types_);
  torch::Tensor h = input_->forward(one_hot_types(graph, num_types_));
  for (auto& layer : gcn_) h = torch::relu(at::mm(adjacency, layer->forward(h)));
  return h;
}

torch::Tensor PolicyImpl::start_log_probs(const torch::Tensor& embedding, int64_t num_graph_nodes,
                                          const std::vector<uint8_t>& allowed) {
  const torch::Tensor h = embedding.narrow(0, 0, num_graph_nodes);
  const torch::Tensor logits =
      start_out_->forward(torch::nn::functional::relu6(start_hidden_->forward(h))).squeeze(1);
  return torch::log_softmax(logits + logit_mask(num_graph_nodes, allowed), 0);
}

torch::Tensor PolicyImpl::end_log_probs(const torch::Tensor& embedding, int64_t start,
                                        const std::vector<uint8_t>& allowed) {
  const int64_t m = embedding.size(0);
  const torch::Tensor pair =
      torch::cat({embedding, embedding[start].unsqueeze(0).expand({m, embedding.size(1)})}, 1);
  torch::Tensor logits =
      end_out_->forward(torch::nn::functional::relu6(end_hidden_->forward(pair))).squeeze(1);
  // The start node cannot be its own end (no self-loops): mask it out of the softmax.
  torch::Tensor mask = logit_mask(m, allowed);
  mask[start] = -std::numeric_limits<float>::infinity();
  return torch::log_softmax(logits + mask, 0);
}

}  // namespace gnnx::explainers::xgnn_detail
