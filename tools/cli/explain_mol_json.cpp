#include "cli/explain_mol_json.h"

#include <cstdio>
#include <cstdlib>

namespace gnnx::tools {
namespace {

/// 6 significant digits: small enough for JSON lines, and independent of the last bits that
/// batching can change.
double rounded(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return std::strtod(buffer, nullptr);
}

}  // namespace

nlohmann::ordered_json result_json(const molecules::MoleculeExplainer& explainer,
                                   const molecules::MoleculeExplanation& r) {
  nlohmann::ordered_json j;
  j["method"] = explainer.method();
  j["task"] = explainer.task();
  j["prediction"] = rounded(r.prediction);
  if (!explainer.regression()) {
    j["predicted_class"] = r.predicted_class;
    j["explained_class"] = r.explained_class;
  }
  nlohmann::ordered_json atoms = nlohmann::ordered_json::array(),
                         bonds = nlohmann::ordered_json::array();
  for (double v : r.atoms) atoms.push_back(rounded(v));
  for (double v : r.bonds) bonds.push_back(rounded(v));
  j["atoms"] = atoms;
  j["bonds"] = bonds;
  j["fragment_smiles"] = r.fragment.smiles;
  j["fragment_smarts"] = r.fragment.smarts;
  j["fragment_atoms"] = r.fragment.atoms;
  j["fragment_bonds"] = r.fragment.bonds;
  return j;
}

/// The batch output's line for a record: its explanation, or an "error" field.
nlohmann::ordered_json record_json(const molecules::MoleculeExplainer& explainer,
                                   const molecules::RecordExplanation& r) {
  nlohmann::ordered_json j = {{"index", r.index}, {"id", r.id}, {"smiles", r.smiles}};
  if (!r.explanation) {
    j.update({{"line", r.line}, {"error", r.error}});
    return j;
  }
  j.update(result_json(explainer, *r.explanation));
  return j;
}

}  // namespace gnnx::tools
