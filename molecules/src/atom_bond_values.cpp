#include <gnnx/molecules/atom_bond_values.h>

#include <gnnx/io/tensor_vector.h>

#include <vector>

namespace gnnx::molecules {

AtomBondValues atom_bond_values(const MolGraph& g, const explainers::Explanation& e) {
  const std::vector<double> nodes =
      e.node_mask.defined() ? io::to_vector<double>(e.dense_node_mask(g.graph.num_nodes()))
                            : std::vector<double>();
  const std::vector<double> edges =
      e.edge_mask.defined() ? io::to_vector<double>(e.dense_edge_mask(g.graph.num_edges()))
                            : std::vector<double>();
  return to_atoms_and_bonds(g, nodes, edges);
}

}  // namespace gnnx::molecules
