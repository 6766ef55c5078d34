#pragma once
// Molecule -> gnn::Graph. One node per atom (in RDKit atom order), one pair of directed edges
// per bond (u->v then v->u, in RDKit bond order), so that graph node i is atom i and graph edges
// 2b and 2b+1 are bond b. With explicit hydrogens (the TUDataset Mutagenicity convention) the
// hydrogens are appended after the heavy atoms and map to atom index -1.
//
// Atom features, in this order (FeaturizerOptions says which blocks are on):
//   element one-hot over `elements` (+ one "other" column when `other_element`)
//   degree one-hot 0..5 (5 = 5 or more)          formal charge one-hot -2..+2 (clamped)
//   total H count one-hot 0..4 (4 = 4 or more)  aromatic (1)
//   hybridisation one-hot SP, SP2, SP3, SP3D, SP3D2, other      in a ring (1)
// Edge attributes [E, 4]: bond type one-hot single, double, triple, aromatic; with
// bond_details [E, 6]: the same, then conjugated (1) and in a ring (1).

#include <gnnx/gnn/graph.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace RDKit {
class ROMol;
}

namespace gnnx::molecules {

/// What the atom features hold. Plain aggregate; validated by featurize().
struct FeaturizerOptions {
  /// Element symbols of the one-hot block, in column order.
  std::vector<std::string> elements = {
      "C",  "N",  "O",  "S",  "F",  "Si", "P",  "Cl", "Br", "Mg", "Na", "Ca", "Fe", "As", "Al",
      "I",  "B",  "V",  "K",  "Tl", "Yb", "Sb", "Sn", "Ag", "Pd", "Co", "Se", "Ti", "Zn", "H",
      "Li", "Ge", "Cu", "Au", "Ni", "Cd", "In", "Mn", "Zr", "Cr", "Pt", "Hg", "Pb"};
  bool other_element = true;  ///< one extra column for elements not in the list
  bool chemistry = true;      ///< degree, charge, H count, aromatic, hybridisation, ring blocks
  bool explicit_hydrogens = false;  ///< hydrogens as nodes (Mutagenicity's TU graphs)
  /// Bond features beyond the type: conjugated and in-ring columns (edge_attr [E, 6]); the
  /// default for models that read bond features (gine, gat).
  bool bond_details = false;

  /// The 7 MUTAG node labels C, N, O, F, I, Cl, Br (TUDataset order), nothing else: a model
  /// trained on the TUDataset MUTAG graphs reads molecules featurised this way. An element
  /// outside the 7 is an error.
  static FeaturizerOptions mutag();
  /// The 14 Mutagenicity node labels (C, O, Cl, H, N, F, Br, S, P, I, Na, K, Li, Ca), hydrogens
  /// as nodes: matches the TUDataset Mutagenicity graphs.
  static FeaturizerOptions mutagenicity();

  /// Width of the feature vector.
  int64_t num_features() const;
  /// Width of the bond features (edge_attr): 4, or 6 with bond_details.
  int64_t num_bond_features() const;
  /// One name per feature column ("element=C", "degree=2", "aromatic", ...).
  std::vector<std::string> feature_names() const;

  /// For model-file metadata: {"featurizer.elements": "C,N,...", "featurizer.other": "1", ...}.
  std::map<std::string, std::string> to_metadata() const;
  /// Inverse of to_metadata(); throws InputError when the keys are missing (except
  /// featurizer.bond_details, added later: absent = off).
  static FeaturizerOptions from_metadata(const std::map<std::string, std::string>& metadata);
};

/// A featurised molecule with the way back to its atoms and bonds.
struct MolGraph {
  gnn::Graph graph;  ///< x [N, F] float, edge_attr [E, 4] (bond_details: [E, 6]) float
  std::vector<int64_t> atom_of_node;  ///< [N] RDKit atom index, -1 for an added hydrogen
  std::vector<int64_t> bond_of_edge;  ///< [E] RDKit bond index, -1 for a bond to an added H
  int64_t num_atoms = 0;              ///< atoms of the input molecule
  int64_t num_bonds = 0;              ///< bonds of the input molecule
};

/// Featurises `mol`. Throws InputError when an element is outside a list without an "other"
/// column (naming the element and the atom index), or for an empty element list without one.
///
/// Example:
///   auto mol = smiles_to_mol("c1ccccc1");
///   MolGraph g = featurize(*mol, FeaturizerOptions());
///   g.graph.num_nodes()  // 6;  g.graph.num_edges()  // 12
MolGraph featurize(const RDKit::ROMol& mol, const FeaturizerOptions& options);

/// Per-atom and per-bond values from per-node and per-edge values of featurize()'s graph:
/// atom i = node i; bond b = mean of its two directed edges. Values of added hydrogens are
/// dropped. node_values [N] or empty; edge_values [E] or empty (then the bond value is the
/// mean of its two atoms, and vice versa: atoms take the mean of their bonds when node_values
/// is empty). Throws InputError on a size mismatch.
struct AtomBondValues {
  std::vector<double> atoms;  ///< [num_atoms]
  std::vector<double> bonds;  ///< [num_bonds]
};
AtomBondValues to_atoms_and_bonds(const MolGraph& graph, const std::vector<double>& node_values,
                                  const std::vector<double>& edge_values);

}  // namespace gnnx::molecules
