#pragma once
// What the message-passing layers (gin_conv.cpp, gine_conv.cpp, graph_conv.cpp, sage_conv.cpp,
// gat_conv.cpp) share: argument checks, the per-edge values of a weighted-sum SpMM, and the sum
// of per-edge messages. Private to gnn.
//
// The edge mask contract of every layer: the mask multiplies each message after everything else
// about it is computed (normalisation, attention); degrees, means and softmaxes are those of the
// unmasked graph and self-loops are never masked. Mask 0 removes exactly that message; mask 1
// everywhere is the unmasked layer.

#include <gnnx/gnn/gcn_adjacency.h>

namespace gnnx::gnn::detail {

/// TORCH_CHECKs that x is [adj.num_nodes(), in_features] floating point.
void check_node_features(const char* fn, const GcnAdjacency& adj, const torch::Tensor& x,
                         int64_t in_features);

/// TORCH_CHECKs that edge_mask is undefined or [E] on x's device.
void check_edge_mask(const char* fn, const GcnAdjacency& adj, const torch::Tensor& edge_mask,
                     const torch::Tensor& x);

/// TORCH_CHECKs that edge_attr is [E, width] floating point on x's device.
void check_edge_attr(const char* fn, const GcnAdjacency& adj, const torch::Tensor& edge_attr,
                     int64_t width, const torch::Tensor& x);

/// The values csr_spmm takes (CSR order, x's dtype and device) for the per-edge factors
/// `per_edge` [E] (edge order) times the mask (undefined = 1); both undefined gives ones.
torch::Tensor csr_values(const GcnAdjacency& adj, const torch::Tensor& per_edge,
                         const torch::Tensor& edge_mask, const torch::Tensor& x);

/// [N] in-degree of every node in the unmasked graph, in x's dtype on x's device (exact: from
/// the CSR row pointers).
torch::Tensor in_degree(const GcnAdjacency& adj, const torch::Tensor& x);

/// out[i] = Σ_{e = (j -> i)} messages[e]: [E, F] -> [N, F]. torch's index_add: on the CPU it
/// adds in edge order (deterministic); on CUDA with atomics (the order, and the last bits, may
/// vary). Used where a message depends on the edge, not only on its source, so that the sum is
/// not a product of the adjacency with a node matrix.
torch::Tensor sum_messages(const GcnAdjacency& adj, const torch::Tensor& messages);

}  // namespace gnnx::gnn::detail
