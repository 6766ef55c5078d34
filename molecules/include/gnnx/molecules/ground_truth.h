#pragma once
// Ground-truth explanations of the molecule benchmarks that `gnnx evaluate` scores against:
//  - Mutagenicity (TUDataset + PGExplainer's edge_gt): the NO2 and NH2 bonds of mutagens. The
//    protocol (Luo et al., PGExplainer, NeurIPS 2020) scores only mutagens that carry a
//    ground-truth edge, with one edge ROC-AUC pooled over all their edges.
//  - The graph-attribution tasks (Sanchez-Lengeling et al., NeurIPS 2020: benzene, logic7
//    "fluoride-carbonyl", logic8 "alkane-carbonyl", ...): the atoms of the rule's SMARTS matches.
//    Any non-empty subset of a rule's matches is a valid explanation (AND rules: one such subset
//    per rule, united), and a molecule scores the best atom ROC-AUC over its valid masks
//    (graph_attribution/attribution_metrics.py), averaged over the positives.

#include <gnnx/datasets/tu_dataset.h>
#include <gnnx/gnn/graph.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace gnnx::molecules {

/// One molecule of a graph-attribution `*_gt.csv` (columns index, mol_id, smiles, label, split,
/// n_atoms, gt_union_atoms, gt_rule_matches, n_gt_masks; see the data's SOURCE.md).
struct AttributionRecord {
  int64_t line = 0;   ///< 1-based line in the file
  int64_t index = 0;  ///< `index`: the row in the source task
  std::string id;     ///< `mol_id` (a ZINC id)
  std::string smiles;
  int64_t label = 0;  ///< 1 = the molecule satisfies the rule
  std::string split;  ///< "train" or "test"
  int64_t num_atoms = 0;
  std::vector<int64_t> union_atoms;  ///< `gt_union_atoms`: the union of every match
  /// `gt_rule_matches`: per rule (in file order) its name and its matches, each a list of atom
  /// indices (RDKit SMILES parse order). Empty for negatives.
  std::vector<std::pair<std::string, std::vector<std::vector<int64_t>>>> rule_matches;
  int64_t num_gt_masks = 0;  ///< `n_gt_masks`: how many valid masks the source holds
};

/// Reads a graph-attribution ground-truth CSV, plain or gzipped (.csv.gz). Throws InputError
/// for an unreadable file, a missing column, or a malformed field (naming the line).
std::vector<AttributionRecord> read_attribution_csv(const std::string& path);

/// The distinct valid ground-truth atom sets of a molecule (each sorted): for each rule the
/// unions of the non-empty subsets of its matches, then one of those per rule, united (the
/// rule of graph_attribution/fragment_identifier.py). Empty for a molecule without matches.
/// Throws InputError when there would be more than `max_masks` sets.
std::vector<std::vector<int64_t>> valid_ground_truth_masks(
    const std::vector<std::pair<std::string, std::vector<std::vector<int64_t>>>>& rule_matches,
    int64_t max_masks = 1 << 16);

/// The best ROC-AUC of `atom_scores` over the 0/1 atom labels of each mask; NaN when no mask
/// gives a defined AUC (a mask of all atoms or of none). Throws InputError for an atom index
/// outside the scores.
double best_mask_auc(const std::vector<double>& atom_scores,
                     const std::vector<std::vector<int64_t>>& masks);

/// The Mutagenicity protocol's targets: the graphs whose raw label is `mutagen_label` (0 in
/// the TUDataset) and that hold at least one ground-truth edge, in file order. Throws
/// InputError when the data set has no edge ground truth (no *_edge_gt.txt).
std::vector<int64_t> mutagens_with_ground_truth(const datasets::TuDataset& tu,
                                                int64_t mutagen_label = 0);

/// Edge scores derived from node scores [N]: edge u->v scores min(node[u], node[v]), so an edge
/// is only as important as its less important end (the bond that attaches NO2 to a ring scores
/// like the ring carbon, not like the nitro N).
std::vector<double> edge_scores_from_nodes(const gnn::Graph& graph,
                                           const std::vector<double>& node_scores);

}  // namespace gnnx::molecules
