#include <gnnx/gnn/boost_graph.h>
#include <gnnx/gnn/error.h>

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/connected_components.hpp>

#include <set>
#include <utility>
#include <vector>

namespace gnnx::gnn {

BoostDigraph to_boost_digraph(const Graph& graph) {
  BoostDigraph g(static_cast<size_t>(graph.num_nodes()));
  const auto ei = graph.edge_index().contiguous();
  const int64_t* src = ei.data_ptr<int64_t>();
  const int64_t* dst = src + graph.num_edges();
  for (int64_t e = 0; e < graph.num_edges(); ++e) boost::add_edge(src[e], dst[e], e, g);
  return g;
}

BoostGraph to_boost_undirected(const Graph& graph, bool merge_reverse) {
  BoostGraph g(static_cast<size_t>(graph.num_nodes()));
  const auto ei = graph.edge_index().contiguous();
  const int64_t* src = ei.data_ptr<int64_t>();
  const int64_t* dst = src + graph.num_edges();
  std::set<std::pair<int64_t, int64_t>> seen;
  for (int64_t e = 0; e < graph.num_edges(); ++e) {
    if (merge_reverse &&
        !seen.insert({std::min(src[e], dst[e]), std::max(src[e], dst[e])}).second) {
      continue;
    }
    boost::add_edge(src[e], dst[e], e, g);
  }
  return g;
}

torch::Tensor connected_components(const Graph& graph) {
  const BoostGraph g = to_boost_undirected(graph);
  std::vector<int> component(graph.num_nodes());
  boost::connected_components(g, component.data());
  // Renumber by smallest node so the numbering does not depend on Boost's internals.
  std::vector<int64_t> renumber(graph.num_nodes(), -1);
  auto out = torch::empty({graph.num_nodes()}, torch::kLong);
  int64_t* o = out.data_ptr<int64_t>();
  int64_t next = 0;
  for (int64_t v = 0; v < graph.num_nodes(); ++v) {
    auto& id = renumber[component[v]];
    if (id < 0) id = next++;
    o[v] = id;
  }
  return out;
}

torch::Tensor bfs_distances(const Graph& graph, int64_t source) {
  if (source < 0 || source >= graph.num_nodes()) {
    throw InputError("bfs_distances: source node " + std::to_string(source) +
                     " is out of range for a graph of " + std::to_string(graph.num_nodes()) +
                     " nodes");
  }
  const BoostDigraph g = to_boost_digraph(graph);
  std::vector<int64_t> distance(graph.num_nodes(), -1);
  distance[source] = 0;
  boost::breadth_first_search(g, boost::vertex(source, g),
                              boost::visitor(boost::make_bfs_visitor(boost::record_distances(
                                  distance.data(), boost::on_tree_edge()))));
  return torch::tensor(distance, torch::kLong).reshape({graph.num_nodes()});
}

}  // namespace gnnx::gnn
