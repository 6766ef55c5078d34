#pragma once
// The JSON of `gnnx explain-mol`: one explanation (numbers to 6 significant digits, so that
// batching's last bits do not show), and the batch output's line for a record.

#include <gnnx/molecules/molecule_explainer.h>

#include <nlohmann/json.hpp>

namespace gnnx::tools {

/// method, task, prediction, classes (binary tasks), atoms, bonds, fragment_*.
nlohmann::ordered_json result_json(const molecules::MoleculeExplainer& explainer,
                                   const molecules::MoleculeExplanation& r);

/// index, id, smiles, then result_json's fields, or line and error for a record without one.
nlohmann::ordered_json record_json(const molecules::MoleculeExplainer& explainer,
                                   const molecules::RecordExplanation& r);

}  // namespace gnnx::tools
