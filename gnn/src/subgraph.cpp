#include <gnnx/gnn/error.h>
#include <gnnx/gnn/subgraph.h>
#include <gnnx/io/tensor_vector.h>

#include <string>
#include <vector>

namespace gnnx::gnn {
namespace {

torch::Tensor to_tensor(const std::vector<int64_t>& values) {
  return torch::tensor(values, torch::kLong).reshape({static_cast<int64_t>(values.size())});
}

torch::Tensor index_rows(const torch::Tensor& t, const torch::Tensor& index) {
  return t.defined() ? t.index_select(0, index) : t;
}

// Builds the subgraph on the nodes with keep[v], remapping ids in ascending order.
Subgraph cut(const Graph& graph, const std::vector<char>& keep,
             const std::vector<int64_t>& targets) {
  const int64_t n = graph.num_nodes();
  std::vector<int64_t> new_id(n, -1);
  std::vector<int64_t> node_id;
  for (int64_t v = 0; v < n; ++v) {
    if (keep[v]) {
      new_id[v] = static_cast<int64_t>(node_id.size());
      node_id.push_back(v);
    }
  }
  const auto src_t = graph.edge_index()[0].contiguous();
  const auto dst_t = graph.edge_index()[1].contiguous();
  const int64_t* src = src_t.data_ptr<int64_t>();
  const int64_t* dst = dst_t.data_ptr<int64_t>();
  std::vector<int64_t> edge_id, new_src, new_dst;
  for (int64_t e = 0; e < graph.num_edges(); ++e) {
    if (keep[src[e]] && keep[dst[e]]) {
      edge_id.push_back(e);
      new_src.push_back(new_id[src[e]]);
      new_dst.push_back(new_id[dst[e]]);
    }
  }
  Subgraph sub;
  sub.node_id = to_tensor(node_id);
  sub.edge_id = to_tensor(edge_id);
  std::vector<int64_t> target_pos;
  target_pos.reserve(targets.size());
  for (int64_t t : targets) target_pos.push_back(new_id[t]);
  sub.target = to_tensor(target_pos);
  auto edge_index = torch::stack({to_tensor(new_src), to_tensor(new_dst)});
  auto y = graph.y();
  if (y.defined() && y.dim() >= 1 && y.size(0) == n) y = y.index_select(0, sub.node_id);
  sub.graph =
      Graph(static_cast<int64_t>(node_id.size()), edge_index, index_rows(graph.x(), sub.node_id), y,
            index_rows(graph.edge_attr(), sub.edge_id));
  return sub;
}

}  // namespace

void check_ids(const std::vector<int64_t>& ids, int64_t limit, const std::string& what) {
  for (int64_t id : ids) {
    if (id < 0 || id >= limit) {
      throw InputError(what + " " + std::to_string(id) + " is out of range [0, " +
                       std::to_string(limit) + ")");
    }
  }
}

std::vector<int64_t> checked_ids(const torch::Tensor& ids, int64_t limit, const std::string& what) {
  std::vector<int64_t> out = io::to_vector<int64_t>(ids);
  check_ids(out, limit, what);
  return out;
}

Subgraph k_hop_subgraph(const Graph& graph, const torch::Tensor& targets, int64_t num_hops) {
  if (num_hops < 0) {
    throw InputError("k_hop_subgraph: number of hops must be >= 0, got " +
                     std::to_string(num_hops));
  }
  const auto target_list = checked_ids(targets, graph.num_nodes(), "k_hop_subgraph: node");
  // A frontier expansion over the CSR by target touches only the edges it visits; a full BFS
  // (Boost's included) would cost O(N + E) per call, too much when explaining nodes one by one
  // in a large graph.
  const auto& csr = graph.csr();
  const int64_t* rowptr = csr.rowptr.data_ptr<int64_t>();
  const int64_t* col = csr.col.data_ptr<int64_t>();
  std::vector<char> keep(graph.num_nodes(), 0);
  std::vector<int64_t> frontier;
  for (int64_t t : target_list) {
    if (!keep[t]) {
      keep[t] = 1;
      frontier.push_back(t);
    }
  }
  for (int64_t hop = 0; hop < num_hops && !frontier.empty(); ++hop) {
    std::vector<int64_t> next;
    for (int64_t v : frontier) {
      for (int64_t k = rowptr[v]; k < rowptr[v + 1]; ++k) {
        if (!keep[col[k]]) {
          keep[col[k]] = 1;
          next.push_back(col[k]);
        }
      }
    }
    frontier.swap(next);
  }
  return cut(graph, keep, target_list);
}

Subgraph induced_subgraph(const Graph& graph, const torch::Tensor& nodes) {
  const auto node_list = checked_ids(nodes, graph.num_nodes(), "induced_subgraph: node");
  std::vector<char> keep(graph.num_nodes(), 0);
  for (int64_t v : node_list) keep[v] = 1;
  return cut(graph, keep, {});
}

Batch make_batch(const std::vector<Graph>& graphs) {
  const int64_t num_graphs = static_cast<int64_t>(graphs.size());
  const int64_t width = graphs.empty() ? 0 : graphs[0].num_features();
  std::vector<torch::Tensor> xs, edges, batch, attrs, ys;
  std::vector<int64_t> node_offset{0}, edge_offset{0};
  int graph_labels = 0, node_labels = 0, with_attr = 0;
  for (int64_t g = 0; g < num_graphs; ++g) {
    const Graph& graph = graphs[g];
    if (graph.num_features() != width) {
      throw InputError("make_batch: graph " + std::to_string(g) + " has " +
                       std::to_string(graph.num_features()) + " features, graph 0 has " +
                       std::to_string(width));
    }
    xs.push_back(graph.x());
    edges.push_back(graph.edge_index() + node_offset.back());
    batch.push_back(torch::full({graph.num_nodes()}, g, torch::kLong));
    if (graph.edge_attr().defined()) {
      attrs.push_back(graph.edge_attr());
      ++with_attr;
    }
    if (graph.y().defined()) {
      ys.push_back(graph.y().reshape({-1}));
      const bool is_graph_label = graph.y().numel() == 1 && graph.num_nodes() != 1;
      (is_graph_label ? graph_labels : node_labels) += 1;
    }
    node_offset.push_back(node_offset.back() + graph.num_nodes());
    edge_offset.push_back(edge_offset.back() + graph.num_edges());
  }
  if (graph_labels > 0 && node_labels > 0) {
    throw InputError("make_batch: some graphs carry graph labels, others node labels");
  }
  if (with_attr != 0 && with_attr != num_graphs) {
    throw InputError("make_batch: some graphs have edge attributes, others none");
  }
  Batch out;
  const int64_t n = node_offset.back();
  auto x = xs.empty() ? torch::zeros({0, 0}) : torch::cat(xs);
  auto edge_index = edges.empty() ? torch::zeros({2, 0}, torch::kLong) : torch::cat(edges, 1);
  torch::Tensor y;
  if (!ys.empty() && static_cast<int64_t>(ys.size()) == num_graphs) y = torch::cat(ys);
  torch::Tensor edge_attr = with_attr ? torch::cat(attrs) : torch::Tensor();
  out.graph = Graph(n, edge_index, x, y, edge_attr);
  out.batch = batch.empty() ? torch::zeros({0}, torch::kLong) : torch::cat(batch);
  out.node_offset = to_tensor(node_offset);
  out.edge_offset = to_tensor(edge_offset);
  return out;
}

}  // namespace gnnx::gnn
