// Graph matching for XGNN results with Boost VF2: distinct results are non-isomorphic (types
// matched), and the BA-2Motifs check asks whether a generated graph contains the house.

#include <gnnx/explainers/xgnn.h>
#include <gnnx/gnn/boost_graph.h>

#include <boost/graph/vf2_sub_graph_iso.hpp>

#include <algorithm>

namespace gnnx::explainers {
namespace {

gnn::BoostGraph to_boost(const GeneratedGraph& g) {
  gnn::BoostGraph out(static_cast<size_t>(g.num_nodes()));
  for (int64_t k = 0; k < g.num_edges(); ++k) boost::add_edge(g.edges[k][0], g.edges[k][1], k, out);
  return out;
}

// Sorted (type, degree) pairs: equal for isomorphic graphs, a cheap filter before VF2.
std::vector<std::pair<int64_t, int64_t>> signature(const GeneratedGraph& g) {
  std::vector<std::pair<int64_t, int64_t>> sig;
  for (int64_t i = 0; i < g.num_nodes(); ++i) sig.emplace_back(g.types[i], g.degree(i));
  std::sort(sig.begin(), sig.end());
  return sig;
}

struct StopAtFirst {
  template <typename A, typename B>
  bool operator()(const A&, const B&) const {
    return false;
  }
};

}  // namespace

bool isomorphic(const GeneratedGraph& a, const GeneratedGraph& b) {
  if (a.num_nodes() != b.num_nodes() || a.num_edges() != b.num_edges()) return false;
  if (signature(a) != signature(b)) return false;
  const gnn::BoostGraph ga = to_boost(a), gb = to_boost(b);
  auto same_type = [&](size_t u, size_t v) { return a.types[u] == b.types[v]; };
  return boost::vf2_graph_iso(
      ga, gb, StopAtFirst(), boost::vertex_order_by_mult(ga),
      boost::edges_equivalent(boost::always_equivalent()).vertices_equivalent(same_type));
}

bool contains_induced_motif(const GeneratedGraph& graph, const gnn::Graph& motif) {
  const gnn::BoostGraph small = gnn::to_boost_undirected(motif, /*merge_reverse=*/true);
  const gnn::BoostGraph large = to_boost(graph);
  if (boost::num_vertices(small) > boost::num_vertices(large)) return false;
  return boost::vf2_subgraph_iso(small, large, StopAtFirst());
}

}  // namespace gnnx::explainers
