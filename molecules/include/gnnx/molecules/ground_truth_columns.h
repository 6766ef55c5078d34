#pragma once
// The ground truth a molecule file carries beside its SMILES, read per record for drawing it
// next to an explanation (`gnnx explain-mol --show-truth`) and for the JSON lines. Two layouts:
//  - Mutagenicity (`Mutagenicity/mutagenicity_smiles_gt.csv`): `mutagenic` (1/0), `gt_atoms`
//    (atom indices, space-separated) and `gt_bonds` ("i-j" atom pairs): the NO2 and NH2 groups.
//    As in the benchmark's protocol (ground_truth.h), only mutagens have a ground truth; a
//    non-mutagen's NO2 is not one.
//  - Graph attribution (`graph_attribution/*_gt.csv`): `label` (1/0), `gt_union_atoms` (the
//    union of every rule match) and `gt_rule_matches` ("rule=atoms|atoms;rule=..."): the drawn
//    truth is the union, with the bonds between its atoms.
// Atom indices are in the SMILES' RDKit parse order (the order readers.h keeps).

#include <string>
#include <vector>

namespace RDKit {
class ROMol;
}

namespace gnnx::molecules {

/// Which benchmark layout a file's ground-truth columns follow.
enum class TruthColumns { kMutagenicity, kAttribution };

/// The ground-truth columns of both layouts, Mutagenicity's (mutagenic, gt_atoms, gt_bonds)
/// then graph attribution's (label, gt_union_atoms, gt_rule_matches): pass them as
/// ReadOptions::keep_columns, and a record's MoleculeRecord::kept to molecule_truth.
const std::vector<std::string>& truth_column_names();

/// The layout of a file from its header (MoleculeSet::columns; names compared ignoring case),
/// Mutagenicity's when it has both. Throws InputError naming the columns each layout lacks.
TruthColumns truth_columns_of(const std::vector<std::string>& header, const std::string& path);

/// One molecule's ground truth, as drawn beside its explanation.
struct MoleculeTruth {
  std::vector<int> atoms;  ///< sorted atom indices; empty when the molecule has none
  std::vector<int> bonds;  ///< sorted bond indices
  /// "ground truth: NO2 + NH2", "ground truth: fluoride + carbonyl", or why there is none:
  /// "no ground truth (non-mutagen)", "no ground truth (label 0)".
  std::string legend;
};

/// The ground truth of `mol` from its record's kept fields (`kept`: truth_column_names()
/// order). Throws InputError, starting with `where`, for a malformed field, an atom outside
/// the molecule or an atom pair that is not one of its bonds (a file whose SMILES and indices
/// disagree).
MoleculeTruth molecule_truth(TruthColumns layout, const std::vector<std::string>& kept,
                             const RDKit::ROMol& mol, const std::string& where);

}  // namespace gnnx::molecules
