#include <gnnx/explainers/explanation_json.h>
#include <gnnx/gnn/error.h>
#include <gnnx/io/tensor_vector.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <numeric>

namespace gnnx::explainers {
namespace {

nlohmann::json explanation_json(const Explanation& e, const gnn::Graph& graph, int64_t top_k) {
  nlohmann::json j;
  j["target"] = e.target;
  j["predicted_class"] = e.predicted_class;
  j["explained_class"] = e.explained_class;
  j["probability"] = e.probability;
  const auto node_scores = io::to_vector<double>(e.node_mask);
  auto nodes = nlohmann::json::array();
  for (int64_t i = 0; i < e.node_ids.numel(); ++i) {
    nlohmann::json n{{"id", e.node_ids[i].item<int64_t>()}};
    if (!node_scores.empty()) n["importance"] = node_scores[i];
    nodes.push_back(n);
  }
  j["nodes"] = nodes;
  const auto edge_scores = io::to_vector<double>(e.edge_mask);
  const auto& ei = graph.edge_index();
  auto edge_json = [&](int64_t pos) {
    const int64_t id = e.edge_ids[pos].item<int64_t>();
    nlohmann::json edge{
        {"id", id}, {"source", ei[0][id].item<int64_t>()}, {"target", ei[1][id].item<int64_t>()}};
    if (!edge_scores.empty()) edge["importance"] = edge_scores[pos];
    return edge;
  };
  auto edges = nlohmann::json::array();
  for (int64_t pos = 0; pos < e.edge_ids.numel(); ++pos) edges.push_back(edge_json(pos));
  j["edges"] = edges;
  auto top = nlohmann::json::array();
  if (!edge_scores.empty()) {
    std::vector<int64_t> order(edge_scores.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t a, int64_t b) { return edge_scores[a] > edge_scores[b]; });
    for (int64_t i = 0; i < std::min<int64_t>(top_k, order.size()); ++i) {
      top.push_back(edge_json(order[i]));
    }
  }
  j["top_edges"] = top;
  if (e.feature_mask.defined()) j["feature_mask"] = io::to_vector<double>(e.feature_mask);
  // Aligned with "nodes" (BayesGrad's std over dropout samples).
  if (e.node_uncertainty.defined()) {
    j["node_uncertainty"] = io::to_vector<double>(e.node_uncertainty);
  }
  j["options"] = e.options;
  return j;
}

}  // namespace

std::string explanations_to_json(const std::vector<Explanation>& explanations,
                                 const std::vector<gnn::Graph>& graphs, int64_t top_k,
                                 const std::map<std::string, std::string>& header) {
  nlohmann::json out;
  for (const auto& [key, value] : header) out[key] = value;
  out["method"] = explanations.empty() ? "" : explanations[0].method;
  out["task"] = explanations.empty() ? "" : gnn::to_string(explanations[0].task);
  auto list = nlohmann::json::array();
  for (const auto& e : explanations) {
    const size_t g = e.task == gnn::Task::kNodeClassification ? 0 : static_cast<size_t>(e.target);
    if (g >= graphs.size()) throw InputError("explanations_to_json: no graph " + std::to_string(g));
    list.push_back(explanation_json(e, graphs[g], top_k));
  }
  out["explanations"] = list;
  return out.dump(1);
}

}  // namespace gnnx::explainers
