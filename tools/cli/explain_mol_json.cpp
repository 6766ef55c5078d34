#include "cli/explain_mol_json.h"

namespace gnnx::tools {

nlohmann::ordered_json result_json(const molecules::MoleculeExplainer& explainer,
                                   const molecules::MoleculeExplanation& r) {
  nlohmann::ordered_json j;
  j["method"] = explainer.method();
  j["task"] = explainer.task();
  j["prediction"] = r.prediction;
  if (!explainer.regression()) {
    j["predicted_class"] = r.predicted_class;
    j["explained_class"] = r.explained_class;
    if (!explainer.class_names().empty()) {
      j["predicted_class_name"] = r.predicted_class_name;
      j["explained_class_name"] = r.explained_class_name;
    }
  }
  j["atoms"] = r.atoms;
  j["bonds"] = r.bonds;
  j["fragment_smiles"] = r.fragment.smiles;
  j["fragment_smarts"] = r.fragment.smarts;
  j["fragment_atoms"] = r.fragment.atoms;
  j["fragment_bonds"] = r.fragment.bonds;
  return j;
}

/// The batch output's line for a record: its explanation, or an "error" field.
nlohmann::ordered_json record_json(const molecules::MoleculeExplainer& explainer,
                                   const molecules::RecordExplanation& r,
                                   const molecules::MoleculeTruth* truth) {
  nlohmann::ordered_json j = {{"index", r.index}, {"id", r.id}, {"smiles", r.smiles}};
  if (!r.explanation) {
    j.update({{"line", r.line}, {"error", r.error}});
    return j;
  }
  j.update(result_json(explainer, *r.explanation));
  if (truth != nullptr) {
    j["ground_truth_atoms"] = truth->atoms;
    j["ground_truth_bonds"] = truth->bonds;
  }
  return j;
}

}  // namespace gnnx::tools
