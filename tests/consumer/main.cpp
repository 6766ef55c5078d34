// Uses the installed gnnx: builds BA-Shapes, runs one GCNConv forward over it, prints a line
// run_consumer_test.sh checks.

#include <gnnx/datasets/synthetic.h>
#include <gnnx/gnn/gcn_adjacency.h>
#include <gnnx/gnn/gcn_conv.h>

#include <iostream>

int main() {
  const gnnx::datasets::Dataset ds = gnnx::datasets::make_synthetic("ba-shapes", /*seed=*/0);
  const gnnx::gnn::Graph& graph = ds.graphs.at(0);
  const gnnx::gnn::GcnAdjacency adj(graph);
  gnnx::gnn::GCNConv conv(graph.num_features(), 16);
  const torch::Tensor out = conv->forward(graph.x(), adj);
  const bool finite = torch::isfinite(out).all().item<bool>();
  std::cout << "consumer: " << ds.name << " nodes=" << graph.num_nodes()
            << " edges=" << graph.num_edges() << " out=" << out.size(0) << "x" << out.size(1)
            << " finite=" << (finite ? "yes" : "no") << "\n";
  return out.size(0) == graph.num_nodes() && out.size(1) == 16 && finite ? 0 : 1;
}
