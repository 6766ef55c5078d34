// Atom and bond featurisation (see featurize.h for the column layout).

#include <GraphMol/MolOps.h>
#include <GraphMol/PeriodicTable.h>
#include <GraphMol/ROMol.h>
#include <GraphMol/RingInfo.h>
#include <gnnx/gnn/error.h>
#include <gnnx/io/text.h>
#include <gnnx/molecules/featurize.h>
#include <torch/types.h>

#include <algorithm>
#include <memory>

namespace gnnx::molecules {
namespace {

constexpr int64_t kDegrees = 6;         // 0..5+
constexpr int64_t kCharges = 5;         // -2..+2
constexpr int64_t kHydrogens = 5;       // 0..4+
constexpr int64_t kHybridisations = 6;  // SP, SP2, SP3, SP3D, SP3D2, other
constexpr int64_t kChemistryWidth = kDegrees + kCharges + kHydrogens + 1 + kHybridisations + 1;
constexpr int64_t kBondTypes = 4;

int64_t hybridisation_column(RDKit::Atom::HybridizationType h) {
  switch (h) {
    case RDKit::Atom::SP:
      return 0;
    case RDKit::Atom::SP2:
      return 1;
    case RDKit::Atom::SP3:
      return 2;
    case RDKit::Atom::SP3D:
      return 3;
    case RDKit::Atom::SP3D2:
      return 4;
    default:
      return 5;
  }
}

int64_t bond_column(const RDKit::Bond& bond) {
  if (bond.getIsAromatic()) return 3;
  switch (bond.getBondType()) {
    case RDKit::Bond::DOUBLE:
      return 1;
    case RDKit::Bond::TRIPLE:
      return 2;
    case RDKit::Bond::AROMATIC:
      return 3;
    default:
      return 0;
  }
}

}  // namespace

FeaturizerOptions FeaturizerOptions::mutag() {
  FeaturizerOptions o;
  o.elements = {"C", "N", "O", "F", "I", "Cl", "Br"};
  o.other_element = false;
  o.chemistry = false;
  return o;
}

FeaturizerOptions FeaturizerOptions::mutagenicity() {
  FeaturizerOptions o;
  o.elements = {"C", "O", "Cl", "H", "N", "F", "Br", "S", "P", "I", "Na", "K", "Li", "Ca"};
  o.other_element = false;
  o.chemistry = false;
  o.explicit_hydrogens = true;
  return o;
}

int64_t FeaturizerOptions::num_features() const {
  return static_cast<int64_t>(elements.size()) + (other_element ? 1 : 0) +
         (chemistry ? kChemistryWidth : 0);
}

int64_t FeaturizerOptions::num_bond_features() const { return kBondTypes + (bond_details ? 2 : 0); }

std::vector<std::string> FeaturizerOptions::feature_names() const {
  std::vector<std::string> names;
  for (const auto& e : elements) names.push_back("element=" + e);
  if (other_element) names.emplace_back("element=other");
  if (chemistry) {
    for (int d = 0; d < kDegrees; ++d) names.push_back("degree=" + std::to_string(d));
    for (int c = -2; c <= 2; ++c) names.push_back("charge=" + std::to_string(c));
    for (int h = 0; h < kHydrogens; ++h) names.push_back("hydrogens=" + std::to_string(h));
    names.emplace_back("aromatic");
    for (const char* h : {"sp", "sp2", "sp3", "sp3d", "sp3d2", "other"}) {
      names.push_back(std::string("hybridisation=") + h);
    }
    names.emplace_back("in_ring");
  }
  return names;
}

std::map<std::string, std::string> FeaturizerOptions::to_metadata() const {
  return {{"featurizer.elements", io::join(elements)},
          {"featurizer.other_element", other_element ? "1" : "0"},
          {"featurizer.chemistry", chemistry ? "1" : "0"},
          {"featurizer.explicit_hydrogens", explicit_hydrogens ? "1" : "0"},
          {"featurizer.bond_details", bond_details ? "1" : "0"}};
}

FeaturizerOptions FeaturizerOptions::from_metadata(
    const std::map<std::string, std::string>& metadata) {
  auto get = [&](const std::string& key) {
    auto it = metadata.find(key);
    if (it == metadata.end()) {
      throw InputError("the model was not trained on molecules: its file has no '" + key +
                       "' entry");
    }
    return it->second;
  };
  FeaturizerOptions o;
  o.elements = io::split_list(get("featurizer.elements"));
  o.other_element = get("featurizer.other_element") == "1";
  o.chemistry = get("featurizer.chemistry") == "1";
  o.explicit_hydrogens = get("featurizer.explicit_hydrogens") == "1";
  const auto details = metadata.find("featurizer.bond_details");  // absent in older files
  o.bond_details = details != metadata.end() && details->second == "1";
  return o;
}

MolGraph featurize(const RDKit::ROMol& input, const FeaturizerOptions& options) {
  if (options.elements.empty() && !options.other_element) {
    throw InputError("featurize: the element list is empty and there is no 'other' column");
  }
  std::unique_ptr<RDKit::ROMol> with_h;
  if (options.explicit_hydrogens) with_h.reset(RDKit::MolOps::addHs(input));
  const RDKit::ROMol& mol = with_h ? *with_h : input;

  MolGraph out;
  out.num_atoms = input.getNumAtoms();
  out.num_bonds = input.getNumBonds();
  const int64_t n = mol.getNumAtoms();
  const int64_t width = options.num_features();
  torch::Tensor x = torch::zeros({n, width}, torch::kFloat);
  auto xa = x.accessor<float, 2>();
  const int64_t num_elements = static_cast<int64_t>(options.elements.size());
  const RDKit::RingInfo* rings = mol.getRingInfo();
  const bool have_rings = rings != nullptr && rings->isInitialized();

  for (const RDKit::Atom* atom : mol.atoms()) {
    const int64_t i = atom->getIdx();
    out.atom_of_node.push_back(i < out.num_atoms ? i : -1);
    const std::string symbol = atom->getSymbol();
    const auto found = std::find(options.elements.begin(), options.elements.end(), symbol);
    int64_t col = found - options.elements.begin();
    if (found == options.elements.end()) {
      if (!options.other_element) {
        throw InputError("featurize: atom " + std::to_string(i) + " is " + symbol +
                         ", which the model's element list (" + io::join(options.elements) +
                         ") does not contain");
      }
      col = num_elements;
    }
    xa[i][col] = 1;
    if (!options.chemistry) continue;
    int64_t base = num_elements + (options.other_element ? 1 : 0);
    xa[i][base + std::min<int64_t>(atom->getDegree(), kDegrees - 1)] = 1;
    base += kDegrees;
    xa[i][base + std::clamp<int64_t>(atom->getFormalCharge(), -2, 2) + 2] = 1;
    base += kCharges;
    xa[i][base + std::min<int64_t>(atom->getTotalNumHs(), kHydrogens - 1)] = 1;
    base += kHydrogens;
    xa[i][base] = atom->getIsAromatic() ? 1 : 0;
    base += 1;
    xa[i][base + hybridisation_column(atom->getHybridization())] = 1;
    base += kHybridisations;
    xa[i][base] = have_rings && rings->numAtomRings(i) > 0 ? 1 : 0;
  }

  const int64_t m = mol.getNumBonds();
  torch::Tensor edge_index = torch::empty({2, 2 * m}, torch::kLong);
  torch::Tensor edge_attr = torch::zeros({2 * m, options.num_bond_features()}, torch::kFloat);
  auto ei = edge_index.accessor<int64_t, 2>();
  auto ea = edge_attr.accessor<float, 2>();
  for (const RDKit::Bond* bond : mol.bonds()) {
    const int64_t b = bond->getIdx();
    const int64_t u = bond->getBeginAtomIdx(), v = bond->getEndAtomIdx();
    ei[0][2 * b] = u;
    ei[1][2 * b] = v;
    ei[0][2 * b + 1] = v;
    ei[1][2 * b + 1] = u;
    const int64_t col = bond_column(*bond);
    ea[2 * b][col] = 1;
    ea[2 * b + 1][col] = 1;
    if (options.bond_details) {
      const bool in_ring = have_rings && rings->numBondRings(b) > 0;
      for (int64_t e : {2 * b, 2 * b + 1}) {
        ea[e][kBondTypes] = bond->getIsConjugated() ? 1 : 0;
        ea[e][kBondTypes + 1] = in_ring ? 1 : 0;
      }
    }
    const int64_t original = b < out.num_bonds ? b : -1;
    out.bond_of_edge.push_back(original);
    out.bond_of_edge.push_back(original);
  }
  out.graph = gnn::Graph(n, edge_index, x, {}, edge_attr);
  return out;
}

AtomBondValues to_atoms_and_bonds(const MolGraph& graph, const std::vector<double>& node_values,
                                  const std::vector<double>& edge_values) {
  const int64_t n = graph.graph.num_nodes(), e = graph.graph.num_edges();
  if (!node_values.empty() && static_cast<int64_t>(node_values.size()) != n) {
    throw InputError("to_atoms_and_bonds: " + std::to_string(node_values.size()) +
                     " node values for " + std::to_string(n) + " nodes");
  }
  if (!edge_values.empty() && static_cast<int64_t>(edge_values.size()) != e) {
    throw InputError("to_atoms_and_bonds: " + std::to_string(edge_values.size()) +
                     " edge values for " + std::to_string(e) + " edges");
  }
  AtomBondValues out;
  out.atoms.assign(graph.num_atoms, 0.0);
  out.bonds.assign(graph.num_bonds, 0.0);
  const auto ei = graph.graph.edge_index().accessor<int64_t, 2>();
  std::vector<double> bond_count(graph.num_bonds, 0.0);
  for (int64_t k = 0; k < e && !edge_values.empty(); ++k) {
    const int64_t b = graph.bond_of_edge[k];
    if (b < 0) continue;
    out.bonds[b] += edge_values[k];
    bond_count[b] += 1;
  }
  for (int64_t b = 0; b < graph.num_bonds; ++b) {
    if (bond_count[b] > 0) out.bonds[b] /= bond_count[b];
  }
  if (!node_values.empty()) {
    for (int64_t i = 0; i < n; ++i) {
      const int64_t a = graph.atom_of_node[i];
      if (a >= 0) out.atoms[a] = node_values[i];
    }
  } else if (!edge_values.empty()) {
    // Atoms take the mean of their bonds.
    std::vector<double> count(graph.num_atoms, 0.0);
    for (int64_t k = 0; k < e; ++k) {
      const int64_t b = graph.bond_of_edge[k];
      const int64_t a = graph.atom_of_node[ei[1][k]];
      if (b < 0 || a < 0) continue;
      out.atoms[a] += edge_values[k];
      count[a] += 1;
    }
    for (int64_t a = 0; a < graph.num_atoms; ++a) {
      if (count[a] > 0) out.atoms[a] /= count[a];
    }
  }
  if (edge_values.empty() && !node_values.empty()) {
    for (int64_t k = 0; k < e; k += 2) {
      const int64_t b = graph.bond_of_edge[k];
      const int64_t u = graph.atom_of_node[ei[0][k]], v = graph.atom_of_node[ei[1][k]];
      if (b >= 0 && u >= 0 && v >= 0) out.bonds[b] = 0.5 * (out.atoms[u] + out.atoms[v]);
    }
  }
  return out;
}

}  // namespace gnnx::molecules
