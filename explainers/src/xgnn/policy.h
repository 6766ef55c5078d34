#pragma once
// The XGNN policy network (reference: DIG dig/xgraph/XGNN/policy_nn.py). Input: the current
// graph's n nodes followed by one isolated candidate node per node type, each a one-hot of its
// type. A linear layer (T -> 8) and three dense GCN layers (8 -> 16 -> 24 -> 32, ReLU) over
// D^-1/2 (A + I) D^-1/2 embed them; the start head (32 -> 16 -> 1, ReLU6) scores the n graph
// nodes, the end head (embedding of a node concatenated with the start's, 64 -> 24 -> 1, ReLU6)
// scores all n + T nodes except the start itself.

#include <gnnx/explainers/xgnn.h>

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/linear.h>

#include <vector>

namespace gnnx::explainers::xgnn_detail {

class PolicyImpl : public torch::nn::Module {
 public:
  explicit PolicyImpl(int64_t num_types);

  /// Node embeddings [n + T, 32] of the graph with its candidate nodes appended.
  torch::Tensor embed(const GeneratedGraph& graph);
  /// Log-probabilities [n] of each graph node as the start node; `allowed` [n] (0/1, empty =
  /// all) gives the nodes that may be picked, the others get probability 0.
  torch::Tensor start_log_probs(const torch::Tensor& embedding, int64_t num_graph_nodes,
                                const std::vector<uint8_t>& allowed);
  /// Log-probabilities [n + T] of each node as the end node; the start node and the nodes not
  /// `allowed` ([n + T], empty = all) get probability 0.
  torch::Tensor end_log_probs(const torch::Tensor& embedding, int64_t start,
                              const std::vector<uint8_t>& allowed);

  int64_t num_types() const { return num_types_; }

 private:
  int64_t num_types_;
  torch::nn::Linear input_{nullptr};
  std::vector<torch::nn::Linear> gcn_;
  torch::nn::Linear start_hidden_{nullptr}, start_out_{nullptr};
  torch::nn::Linear end_hidden_{nullptr}, end_out_{nullptr};
};
TORCH_MODULE(Policy);

}  // namespace gnnx::explainers::xgnn_detail
