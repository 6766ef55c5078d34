#pragma once
// Chemistry for XGNN molecules (Yuan et al., "XGNN: Towards Model-Level Explanations of Graph
// Neural Networks", KDD 2020; explainers/xgnn.h): the rules a chemist expects of a generated
// molecule beyond valence, learned where possible from the molecules a model was trained on;
// the molecule a single-bond skeleton stands for (aromatic rings and nitro groups perceived);
// the traits the README compares (ring, aromatic ring, NO2); and the training molecules
// nearest to a generated one by Morgan fingerprint Tanimoto similarity.
//
// Why skeletons: the MUTAG classifier (like the paper's GCN) reads elements and connectivity
// only, so a generated graph is a skeleton of atoms and single bonds (xgnn_molecule_rules.h).
// The training molecules are reduced to the same skeletons before anything is learned or
// compared, so that generated and training molecules go through one pipeline.
//
// Plain types only, like xgnn_molecule_rules.h: gnnx::molecules does not depend on the
// explainers; the CLI wraps chem_rule_problem() into an xgnn GraphRule.

#include <gnnx/molecules/xgnn_molecule_rules.h>

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace gnnx::molecules {

/// A molecule as the classifier reads it: element symbols and single bonds (any order).
struct Skeleton {
  std::vector<std::string> elements;
  BondList bonds;
};

/// The named chemistry rules of `gnnx generate` (each on by default; `--no-rule NAME`).
enum class ChemRule {
  kSeenBonds,       ///< "seen-bonds": no bond between two elements never bonded in training
  kPeroxide,        ///< "o-o": no O-O bond, unless a training molecule has one
  kNOO,             ///< "n-o-o": no N-O-O chain, unless a training molecule has one
  kFusedThreeRing,  ///< "fused-3-ring": no 3-membered ring sharing an atom with another ring,
                    ///< unless a training molecule has one
  kRingSizes,       ///< "ring-sizes": every ring has a size some training molecule's ring has
  kElementCounts,   ///< "element-counts": no element more often than in the training molecule
                    ///< that has most of it (MUTAG: one I, one Br at most)
  kAromatic,        ///< "aromatic": the output perceives aromatic rings and nitro groups
};

/// Every rule, in the order above.
const std::vector<ChemRule>& all_chem_rules();
/// The rule's name ("seen-bonds", ...).
std::string to_string(ChemRule rule);
/// The rule named `name`; throws InputError listing the names for an unknown one.
ChemRule parse_chem_rule(const std::string& name);
/// Every rule but those named in `disabled` ("all" disables every rule); throws InputError
/// for an unknown name.
std::vector<ChemRule> chem_rules_without(const std::vector<std::string>& disabled);

/// Structural facts of one skeleton, on the graph alone (no RDKit).
struct SkeletonFacts {
  /// Per bond, the size of the smallest cycle through it (0 for a bond in no cycle).
  std::vector<int64_t> ring_size_of_bond;
  bool o_o = false;               ///< an O-O bond
  bool n_o_o = false;             ///< a chain N-O-O
  bool fused_three_ring = false;  ///< a 3-membered ring with an atom on another ring
  bool nitro = false;  ///< an N with 3 bonds, 2 of them to O atoms that have no other bond
  bool ring() const;   ///< any bond in a cycle
  std::set<int64_t> ring_sizes() const;  ///< the nonzero entries of ring_size_of_bond
};

/// Throws InputError for a bond naming a missing atom or an atom bonded to itself.
SkeletonFacts skeleton_facts(const Skeleton& molecule);

/// What the training molecules contain, for the rules and the report.
struct ChemistryProfile {
  int64_t molecules = 0;
  std::set<std::pair<std::string, std::string>> bonded_pairs;  ///< element pairs, first <= second
  std::set<int64_t> ring_sizes;  ///< sizes of the smallest rings through ring bonds
  int64_t with_o_o = 0, with_n_o_o = 0, with_fused_three_ring = 0;  ///< molecules with one
  /// Per element, the most atoms of it in one training molecule.
  std::map<std::string, int64_t> max_element_count;
  bool bonded(const std::string& a, const std::string& b) const;
};

/// Learns the profile of `molecules` (the training set). Throws like skeleton_facts().
ChemistryProfile learn_chemistry(const std::vector<Skeleton>& molecules);

/// The pairs of `elements` (with themselves too) that no training molecule bonds, sorted.
std::vector<std::pair<std::string, std::string>> unseen_bonds(
    const ChemistryProfile& profile, const std::vector<std::string>& elements);

/// "" when `molecule` keeps every structural rule of `rules` under `profile` (kAromatic is not
/// a structural rule), else which one it breaks and why ("n-o-o: a N-O-O chain, which no
/// training molecule has"). Rules are checked in all_chem_rules() order.
std::string chem_rule_problem(const std::vector<ChemRule>& rules, const ChemistryProfile& profile,
                              const Skeleton& molecule);

/// The molecule a skeleton stands for, as canonical SMILES: with `perceive`, every nitro N
/// (SkeletonFacts::nitro) becomes a nitro group [N+](=O)[O-], and ring bonds get
/// double bonds by maximum matchings over the ring atoms with free valence (Edmonds'
/// algorithm, Boost; 6-membered rings first, then the other rings), after which RDKit's
/// sanitisation perceives aromaticity (six carbons in a ring become c1ccccc1); without, or when
/// that molecule does not sanitise, the single-bond SMILES. Throws InputError when the skeleton
/// itself does not sanitise.
std::string perceived_smiles(const Skeleton& molecule, bool perceive = true);

/// The traits the README compares between generated and training molecules.
struct MoleculeTraits {
  bool ring = false;
  bool aromatic_ring = false;  ///< an aromatic atom after perception (perceived_smiles)
  bool nitro = false;          ///< SkeletonFacts::nitro
};
/// Throws InputError when the skeleton does not sanitise.
MoleculeTraits molecule_traits(const Skeleton& molecule);

/// One training molecule near a query.
struct Neighbour {
  int64_t index = 0;      ///< position in the indexed molecules
  double similarity = 0;  ///< Tanimoto similarity of Morgan fingerprints (radius 2, 2048 bits)
  std::string smiles;     ///< perceived_smiles() of the training molecule
};

/// Morgan fingerprints (radius 2, 2048 bits; RDKit) of perceived molecules, for nearest-neighbour
/// queries. Training molecules that do not sanitise (MUTAG has two) are skipped, never returned.
class FingerprintIndex {
 public:
  /// `perceive` as for perceived_smiles; queries are perceived the same way.
  explicit FingerprintIndex(const std::vector<Skeleton>& molecules, bool perceive = true);
  ~FingerprintIndex();
  FingerprintIndex(FingerprintIndex&&) noexcept;
  FingerprintIndex& operator=(FingerprintIndex&&) noexcept;

  /// The `k` most similar indexed molecules, most similar first (ties: lower index first).
  /// Throws InputError when the query does not sanitise.
  std::vector<Neighbour> nearest(const Skeleton& query, int64_t k) const;
  /// Indexed molecules that sanitised.
  int64_t size() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gnnx::molecules
