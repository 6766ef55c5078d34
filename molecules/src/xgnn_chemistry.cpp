// Chemistry rules, perception and fingerprint neighbours for XGNN molecules (xgnn_chemistry.h).

#include "quiet_sanitize.h"

#include <DataStructs/BitOps.h>
#include <DataStructs/ExplicitBitVect.h>
#include <GraphMol/Fingerprints/MorganFingerprints.h>
#include <GraphMol/MolOps.h>
#include <GraphMol/PeriodicTable.h>
#include <GraphMol/RWMol.h>
#include <GraphMol/SmilesParse/SmilesWrite.h>
#include <RDGeneral/RDLog.h>
#include <gnnx/gnn/error.h>
#include <gnnx/molecules/xgnn_chemistry.h>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/max_cardinality_matching.hpp>

#include <algorithm>
#include <deque>
#include <map>

namespace gnnx::molecules {
namespace {

struct RuleName {
  ChemRule rule;
  const char* name;
};
constexpr RuleName kRuleNames[] = {
    {ChemRule::kSeenBonds, "seen-bonds"},
    {ChemRule::kPeroxide, "o-o"},
    {ChemRule::kNOO, "n-o-o"},
    {ChemRule::kFusedThreeRing, "fused-3-ring"},
    {ChemRule::kRingSizes, "ring-sizes"},
    {ChemRule::kElementCounts, "element-counts"},
    {ChemRule::kAromatic, "aromatic"},
};

std::string rule_names_text() {
  std::string out;
  for (const auto& r : kRuleNames) out += (out.empty() ? "" : ", ") + std::string(r.name);
  return out;
}

using Adjacency = std::vector<std::vector<int64_t>>;

Adjacency adjacency_of(const Skeleton& m) {
  const auto n = static_cast<int64_t>(m.elements.size());
  Adjacency adj(static_cast<size_t>(n));
  for (const auto& b : m.bonds) {
    if (b[0] < 0 || b[1] < 0 || b[0] >= n || b[1] >= n || b[0] == b[1]) {
      throw InputError("molecule skeleton: bond " + std::to_string(b[0]) + "-" +
                       std::to_string(b[1]) + " is not between two of the " + std::to_string(n) +
                       " atoms");
    }
    adj[b[0]].push_back(b[1]);
    adj[b[1]].push_back(b[0]);
  }
  return adj;
}

// Length of the shortest cycle through bond u-v: 1 + the shortest u..v path avoiding it.
int64_t smallest_cycle_through(const Adjacency& adj, int64_t u, int64_t v) {
  std::vector<int64_t> dist(adj.size(), -1);
  std::deque<int64_t> queue{u};
  dist[u] = 0;
  while (!queue.empty()) {
    const int64_t x = queue.front();
    queue.pop_front();
    for (int64_t y : adj[x]) {
      if ((x == u && y == v) || dist[y] >= 0) continue;
      dist[y] = dist[x] + 1;
      if (y == v) return dist[y] + 1;
      queue.push_back(y);
    }
  }
  return 0;
}

std::map<std::string, int64_t> element_counts(const Skeleton& m) {
  std::map<std::string, int64_t> counts;
  for (const auto& e : m.elements) ++counts[e];
  return counts;
}

std::pair<std::string, std::string> ordered(const std::string& a, const std::string& b) {
  return a <= b ? std::pair{a, b} : std::pair{b, a};
}

// The nitro N atoms of a skeleton and, per N, its two terminal O atoms.
std::vector<std::array<int64_t, 3>> nitro_groups(const Skeleton& m, const Adjacency& adj) {
  std::vector<std::array<int64_t, 3>> out;
  for (size_t i = 0; i < adj.size(); ++i) {
    if (m.elements[i] != "N" || adj[i].size() != 3) continue;
    std::vector<int64_t> oxygens;
    for (int64_t j : adj[i]) {
      if (m.elements[j] == "O" && adj[j].size() == 1) oxygens.push_back(j);
    }
    if (oxygens.size() == 2) out.push_back({static_cast<int64_t>(i), oxygens[0], oxygens[1]});
  }
  return out;
}

// The perceived molecule (see perceived_smiles), sanitised; nullptr when it does not sanitise.
std::unique_ptr<RDKit::RWMol> perceived_molecule(const Skeleton& m) {
  const Adjacency adj = adjacency_of(m);
  const SkeletonFacts facts = skeleton_facts(m);
  std::unique_ptr<RDKit::RWMol> mol = single_bond_molecule(m.elements, m.bonds);
  const auto n = static_cast<int64_t>(m.elements.size());
  std::vector<uint8_t> fixed(static_cast<size_t>(n), 0);  // no further double bond
  for (const auto& g : nitro_groups(m, adj)) {
    mol->getAtomWithIdx(static_cast<unsigned>(g[0]))->setFormalCharge(1);
    mol->getAtomWithIdx(static_cast<unsigned>(g[2]))->setFormalCharge(-1);
    mol->getBondBetweenAtoms(static_cast<unsigned>(g[0]), static_cast<unsigned>(g[1]))
        ->setBondType(RDKit::Bond::DOUBLE);
    for (int64_t a : g) fixed[a] = 1;
  }
  // Free valence of each atom: its element's default valence minus its bonds.
  const RDKit::PeriodicTable* table = RDKit::PeriodicTable::getTable();
  std::vector<int64_t> free(static_cast<size_t>(n), 0);
  for (int64_t i = 0; i < n; ++i) {
    const int valence = table->getDefaultValence(mol->getAtomWithIdx(i)->getAtomicNum());
    free[i] = fixed[i] ? 0 : valence - static_cast<int64_t>(adj[i].size());
  }
  // Double bonds: a maximum matching over the ring bonds between atoms with free valence,
  // first over the bonds of 6-membered rings only (benzenoid rings: a matching there makes
  // each ring of fluorene or biphenylene aromatic, where one matching over every ring bond may
  // put a double bond into the 5- or 4-membered ring and leave a benzene ring non-aromatic),
  // then over the other ring bonds between the atoms still unmatched.
  std::vector<int64_t> mate(static_cast<size_t>(n), -1);
  for (const bool six : {true, false}) {
    using MatchGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
    MatchGraph graph(static_cast<size_t>(n));
    bool any = false;
    for (size_t k = 0; k < m.bonds.size(); ++k) {
      const auto& b = m.bonds[k];
      const int64_t ring = facts.ring_size_of_bond[k];
      if (ring == 0 || (six && ring != 6) || free[b[0]] <= 0 || free[b[1]] <= 0) continue;
      if (mate[b[0]] >= 0 || mate[b[1]] >= 0) continue;
      boost::add_edge(static_cast<size_t>(b[0]), static_cast<size_t>(b[1]), graph);
      any = true;
    }
    if (!any) continue;
    std::vector<boost::graph_traits<MatchGraph>::vertex_descriptor> found(static_cast<size_t>(n));
    boost::edmonds_maximum_cardinality_matching(graph, found.data());
    for (int64_t i = 0; i < n; ++i) {
      if (found[i] != boost::graph_traits<MatchGraph>::null_vertex()) {
        mate[i] = static_cast<int64_t>(found[i]);
      }
    }
  }
  for (int64_t i = 0; i < n; ++i) {
    if (mate[i] > i) {
      mol->getBondBetweenAtoms(static_cast<unsigned>(i), static_cast<unsigned>(mate[i]))
          ->setBondType(RDKit::Bond::DOUBLE);
    }
  }
  if (!detail::sanitize_quietly(*mol).empty()) return nullptr;
  return mol;
}

std::unique_ptr<RDKit::RWMol> sanitized_skeleton(const Skeleton& m) {
  if (const std::string problem = sanitization_problem(m.elements, m.bonds); !problem.empty()) {
    throw InputError("molecule skeleton does not sanitise: " + problem);
  }
  std::unique_ptr<RDKit::RWMol> mol = single_bond_molecule(m.elements, m.bonds);
  detail::sanitize_quietly(*mol);
  return mol;
}

// The molecule fingerprints and traits read: perceived when asked and possible.
std::unique_ptr<RDKit::RWMol> molecule_for(const Skeleton& m, bool perceive) {
  std::unique_ptr<RDKit::RWMol> skeleton = sanitized_skeleton(m);  // throws when invalid
  if (!perceive) return skeleton;
  std::unique_ptr<RDKit::RWMol> perceived = perceived_molecule(m);
  return perceived ? std::move(perceived) : std::move(skeleton);
}

}  // namespace

const std::vector<ChemRule>& all_chem_rules() {
  static const std::vector<ChemRule> kAll = [] {
    std::vector<ChemRule> out;
    for (const auto& r : kRuleNames) out.push_back(r.rule);
    return out;
  }();
  return kAll;
}

std::string to_string(ChemRule rule) {
  for (const auto& r : kRuleNames) {
    if (r.rule == rule) return r.name;
  }
  TORCH_INTERNAL_ASSERT(false, "unknown ChemRule");
}

ChemRule parse_chem_rule(const std::string& name) {
  for (const auto& r : kRuleNames) {
    if (name == r.name) return r.rule;
  }
  throw InputError("unknown chemistry rule '" + name + "' (valid: " + rule_names_text() +
                   ", or all)");
}

std::vector<ChemRule> chem_rules_without(const std::vector<std::string>& disabled) {
  std::vector<ChemRule> off;
  bool all = false;
  for (const auto& name : disabled) {
    if (name == "all") {
      all = true;
    } else {
      off.push_back(parse_chem_rule(name));  // throws for an unknown name
    }
  }
  std::vector<ChemRule> out;
  if (all) return out;
  for (ChemRule r : all_chem_rules()) {
    if (std::find(off.begin(), off.end(), r) == off.end()) out.push_back(r);
  }
  return out;
}

bool SkeletonFacts::ring() const {
  return std::any_of(ring_size_of_bond.begin(), ring_size_of_bond.end(),
                     [](int64_t s) { return s > 0; });
}

std::set<int64_t> SkeletonFacts::ring_sizes() const {
  std::set<int64_t> out;
  for (int64_t s : ring_size_of_bond) {
    if (s > 0) out.insert(s);
  }
  return out;
}

SkeletonFacts skeleton_facts(const Skeleton& m) {
  const Adjacency adj = adjacency_of(m);
  SkeletonFacts f;
  for (const auto& b : m.bonds) {
    f.ring_size_of_bond.push_back(smallest_cycle_through(adj, b[0], b[1]));
    const std::string &x = m.elements[b[0]], &y = m.elements[b[1]];
    if (x == "O" && y == "O") {
      f.o_o = true;
      // N-O-O: either O of the O-O bond has an N neighbour.
      for (int64_t o : {b[0], b[1]}) {
        for (int64_t z : adj[o]) f.n_o_o = f.n_o_o || m.elements[z] == "N";
      }
    }
  }
  // A 3-membered ring is fused (or spiro) when one of its atoms has a ring bond outside it.
  for (size_t k = 0; k < m.bonds.size() && !f.fused_three_ring; ++k) {
    if (f.ring_size_of_bond[k] != 3) continue;
    const int64_t u = m.bonds[k][0], v = m.bonds[k][1];
    int64_t w = -1;  // the triangle's third atom
    for (int64_t z : adj[u]) {
      if (z != v && std::find(adj[v].begin(), adj[v].end(), z) != adj[v].end()) w = z;
    }
    const std::array<int64_t, 3> tri{u, v, w};
    for (size_t q = 0; q < m.bonds.size(); ++q) {
      const auto& b = m.bonds[q];
      const bool inside =
          std::count(tri.begin(), tri.end(), b[0]) + std::count(tri.begin(), tri.end(), b[1]) == 2;
      const bool touches =
          std::count(tri.begin(), tri.end(), b[0]) + std::count(tri.begin(), tri.end(), b[1]) == 1;
      if (!inside && touches && f.ring_size_of_bond[q] > 0) f.fused_three_ring = true;
    }
  }
  f.nitro = !nitro_groups(m, adj).empty();
  return f;
}

bool ChemistryProfile::bonded(const std::string& a, const std::string& b) const {
  return bonded_pairs.count(ordered(a, b)) > 0;
}

ChemistryProfile learn_chemistry(const std::vector<Skeleton>& molecules) {
  ChemistryProfile p;
  for (const Skeleton& m : molecules) {
    const SkeletonFacts f = skeleton_facts(m);
    ++p.molecules;
    for (const auto& b : m.bonds)
      p.bonded_pairs.insert(ordered(m.elements[b[0]], m.elements[b[1]]));
    for (int64_t s : f.ring_sizes()) p.ring_sizes.insert(s);
    p.with_o_o += f.o_o ? 1 : 0;
    p.with_n_o_o += f.n_o_o ? 1 : 0;
    p.with_fused_three_ring += f.fused_three_ring ? 1 : 0;
    for (const auto& [element, count] : element_counts(m)) {
      int64_t& most = p.max_element_count[element];
      most = std::max(most, count);
    }
  }
  return p;
}

std::vector<std::pair<std::string, std::string>> unseen_bonds(
    const ChemistryProfile& profile, const std::vector<std::string>& elements) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& a : elements) {
    for (const auto& b : elements) {
      if (!profile.bonded(a, b)) out.insert(ordered(a, b));
    }
  }
  return {out.begin(), out.end()};
}

std::string chem_rule_problem(const std::vector<ChemRule>& rules, const ChemistryProfile& profile,
                              const Skeleton& molecule) {
  auto on = [&](ChemRule r) { return std::find(rules.begin(), rules.end(), r) != rules.end(); };
  if (on(ChemRule::kSeenBonds)) {
    for (const auto& b : molecule.bonds) {
      const std::string &x = molecule.elements.at(b[0]), &y = molecule.elements.at(b[1]);
      if (!profile.bonded(x, y)) {
        return "seen-bonds: a " + x + "-" + y + " bond, which no training molecule has";
      }
    }
  }
  // Counts only grow as the generator adds atoms, so a partial graph over a count can never
  // become a molecule the training data has the like of: the rule may be checked every step.
  if (on(ChemRule::kElementCounts)) {
    for (const auto& [element, count] : element_counts(molecule)) {
      const auto most = profile.max_element_count.find(element);
      const int64_t limit = most == profile.max_element_count.end() ? 0 : most->second;
      if (count > limit) {
        return "element-counts: " + std::to_string(count) + " " + element +
               (count == 1 ? " atom" : " atoms") +
               ", more than any training molecule has (at most " + std::to_string(limit) + ")";
      }
    }
  }
  const bool structural = on(ChemRule::kPeroxide) || on(ChemRule::kNOO) ||
                          on(ChemRule::kFusedThreeRing) || on(ChemRule::kRingSizes);
  if (!structural) return "";
  const SkeletonFacts f = skeleton_facts(molecule);
  if (on(ChemRule::kPeroxide) && f.o_o && profile.with_o_o == 0) {
    return "o-o: an O-O bond, which no training molecule has";
  }
  if (on(ChemRule::kNOO) && f.n_o_o && profile.with_n_o_o == 0) {
    return "n-o-o: a N-O-O chain, which no training molecule has";
  }
  if (on(ChemRule::kFusedThreeRing) && f.fused_three_ring && profile.with_fused_three_ring == 0) {
    return "fused-3-ring: a 3-membered ring sharing an atom with another ring, which no "
           "training molecule has";
  }
  if (on(ChemRule::kRingSizes)) {
    for (int64_t s : f.ring_sizes()) {
      if (profile.ring_sizes.count(s) == 0) {
        return "ring-sizes: a " + std::to_string(s) +
               "-membered ring, a size no training molecule's rings have";
      }
    }
  }
  return "";
}

std::string perceived_smiles(const Skeleton& molecule, bool perceive) {
  return RDKit::MolToSmiles(*molecule_for(molecule, perceive));
}

MoleculeTraits molecule_traits(const Skeleton& molecule) {
  const std::unique_ptr<RDKit::RWMol> mol = molecule_for(molecule, /*perceive=*/true);
  const SkeletonFacts f = skeleton_facts(molecule);
  MoleculeTraits t;
  t.ring = f.ring();
  t.nitro = f.nitro;
  for (const RDKit::Atom* atom : mol->atoms())
    t.aromatic_ring = t.aromatic_ring || atom->getIsAromatic();
  return t;
}

struct FingerprintIndex::Impl {
  bool perceive = true;
  std::vector<int64_t> index;  // position in the input of each fingerprint
  std::vector<std::string> smiles;
  std::vector<std::unique_ptr<ExplicitBitVect>> fingerprints;

  static std::unique_ptr<ExplicitBitVect> fingerprint(const RDKit::ROMol& mol) {
    return std::unique_ptr<ExplicitBitVect>(
        RDKit::MorganFingerprints::getFingerprintAsBitVect(mol, /*radius=*/2, /*nBits=*/2048));
  }
};

FingerprintIndex::FingerprintIndex(const std::vector<Skeleton>& molecules, bool perceive)
    : impl_(std::make_unique<Impl>()) {
  impl_->perceive = perceive;
  for (size_t i = 0; i < molecules.size(); ++i) {
    if (!sanitization_problem(molecules[i].elements, molecules[i].bonds).empty()) continue;
    const std::unique_ptr<RDKit::RWMol> mol = molecule_for(molecules[i], perceive);
    impl_->index.push_back(static_cast<int64_t>(i));
    impl_->smiles.push_back(RDKit::MolToSmiles(*mol));
    impl_->fingerprints.push_back(Impl::fingerprint(*mol));
  }
}

FingerprintIndex::~FingerprintIndex() = default;
FingerprintIndex::FingerprintIndex(FingerprintIndex&&) noexcept = default;
FingerprintIndex& FingerprintIndex::operator=(FingerprintIndex&&) noexcept = default;

int64_t FingerprintIndex::size() const { return static_cast<int64_t>(impl_->index.size()); }

std::vector<Neighbour> FingerprintIndex::nearest(const Skeleton& query, int64_t k) const {
  const std::unique_ptr<RDKit::RWMol> mol = molecule_for(query, impl_->perceive);
  const std::unique_ptr<ExplicitBitVect> fp = Impl::fingerprint(*mol);
  std::vector<Neighbour> all;
  for (size_t i = 0; i < impl_->fingerprints.size(); ++i) {
    all.push_back(
        {impl_->index[i], TanimotoSimilarity(*fp, *impl_->fingerprints[i]), impl_->smiles[i]});
  }
  std::stable_sort(all.begin(), all.end(), [](const Neighbour& a, const Neighbour& b) {
    return a.similarity > b.similarity;
  });
  if (static_cast<int64_t>(all.size()) > k)
    all.resize(static_cast<size_t>(std::max<int64_t>(k, 0)));
  return all;
}

}  // namespace gnnx::molecules
