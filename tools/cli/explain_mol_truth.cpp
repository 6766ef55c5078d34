#include "cli/explain_mol_truth.h"

#include <gnnx/gnn/error.h>

namespace gnnx::tools {

RecordTruths read_record_truths(const molecules::MoleculeSet& set, const std::string& path) {
  const std::string name = path == "-" ? std::string("standard input") : path;
  if (set.columns.empty()) {
    throw InputError("--show-truth reads the ground truth from CSV/TSV columns; '" + name +
                     "' is not a CSV/TSV file");
  }
  molecules::TruthColumns layout{};
  try {
    layout = molecules::truth_columns_of(set.columns, name);
  } catch (const InputError& e) {
    throw InputError(std::string("--show-truth: ") + e.what());
  }
  RecordTruths truths;
  for (const molecules::MoleculeRecord& r : set.records) {
    truths[r.index] =
        molecules::molecule_truth(layout, r.kept, *r.mol, name + ":" + std::to_string(r.line));
  }
  return truths;
}

molecules::TruthPanel truth_panel(const molecules::MoleculeTruth& truth) {
  molecules::TruthPanel panel;
  panel.atoms = truth.atoms;
  panel.bonds = truth.bonds;
  panel.legend = truth.legend;
  return panel;
}

}  // namespace gnnx::tools
