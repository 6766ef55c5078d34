#pragma once
// The JSON of `gnnx explain-mol`: one explanation, and the batch output's line for a record. The
// numbers are as computed: write them with io::dump_significant (--precision, 6 digits by
// default), so that batching's last bits do not show.

#include <gnnx/molecules/ground_truth_columns.h>
#include <gnnx/molecules/molecule_explainer.h>

#include <nlohmann/json.hpp>

namespace gnnx::tools {

/// method, task, prediction, classes (binary tasks; with their names when the model has class
/// names), atoms, bonds, fragment_*.
nlohmann::ordered_json result_json(const molecules::MoleculeExplainer& explainer,
                                   const molecules::MoleculeExplanation& r);

/// index, id, smiles, then result_json's fields, or line and error for a record without one.
/// With `truth` (--show-truth), an explained record's line ends with ground_truth_atoms and
/// ground_truth_bonds (empty lists for a molecule without ground truth).
nlohmann::ordered_json record_json(const molecules::MoleculeExplainer& explainer,
                                   const molecules::RecordExplanation& r,
                                   const molecules::MoleculeTruth* truth = nullptr);

}  // namespace gnnx::tools
