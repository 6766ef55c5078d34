#pragma once
// Boost.Graph adapter: a Graph as a boost::adjacency_list, for the algorithms Boost does well
// (BFS, connected components, VF2 isomorphism, Graphviz output). Opt-in: only code that needs
// Boost includes this header.

#include <gnnx/gnn/graph.h>

#include <boost/graph/adjacency_list.hpp>

namespace gnnx::gnn {

/// Directed view with in-edge access; vertex i is node i, edge property = edge id.
using BoostDigraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property,
                          boost::property<boost::edge_index_t, int64_t>>;
/// Undirected view (each stored direction becomes one undirected edge; use
/// to_boost_undirected(g, /*merge_reverse=*/true) to merge u->v and v->u into one).
using BoostGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                          boost::property<boost::edge_index_t, int64_t>>;

BoostDigraph to_boost_digraph(const Graph& graph);
BoostGraph to_boost_undirected(const Graph& graph, bool merge_reverse = true);

/// Weakly connected component of every node: [N] int64, components numbered 0.. in order of
/// their smallest node.
torch::Tensor connected_components(const Graph& graph);

/// Hop distance from `source` along edge directions (Boost BFS): [N] int64, -1 if unreachable.
/// Throws InputError for a source out of range.
torch::Tensor bfs_distances(const Graph& graph, int64_t source);

}  // namespace gnnx::gnn
