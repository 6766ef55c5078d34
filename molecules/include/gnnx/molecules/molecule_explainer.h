#pragma once
// Explaining molecules for pipelines: RDKit molecules in, per-atom and per-bond importances, the
// prediction, the explanation fragment and drawings (PNG/SVG bytes) out, with no tensors in sight.
// A MoleculeExplainer loads a property model written by `gnnx train --data` once and explains
// any number of molecules, batched (one disjoint union of molecular graphs per explainer call).
//
// Example:
//   gnnx::molecules::MoleculeExplainer explainer("bbbp.gnnx", "grad-cam");
//   auto mol = gnnx::molecules::smiles_to_mol("O=[N+]([O-])c1ccccc1");  // any RDKit::ROMol
//   gnnx::molecules::MoleculeExplanation e = explainer.explain(*mol);
//   e.prediction; e.atoms; e.bonds; e.fragment.smiles;
//   std::string png = explainer.draw(*mol, e, gnnx::molecules::ImageFormat::kPng);
//
// No LibTorch header comes with it (a file that includes it compiles in about a tenth of the
// time): the featurisation types are only declared here (featurize.h defines them), and the
// tensor-level step from an explanation to atom and bond values is in atom_bond_values.h.
// tests/molecules/no_tensor_headers_test.cpp keeps it so.

#include <gnnx/explainers/method_options.h>
#include <gnnx/molecules/draw.h>
#include <gnnx/molecules/fragment.h>
#include <gnnx/molecules/method_defaults.h>
#include <gnnx/molecules/readers.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace RDKit {
class ROMol;
}

namespace gnnx::molecules {

struct FeaturizerOptions;  // featurize.h
struct MolGraph;           // featurize.h

/// One molecule's explanation.
struct MoleculeExplanation {
  /// Binary task: the model's P(class 1); regression: the predicted value (label units).
  double prediction = 0;
  int64_t predicted_class = -1;  ///< binary task: 0 or 1; regression: -1
  int64_t explained_class = -1;  ///< binary task: the class the importances are for
  /// The model's names of the two classes (ModelCard::class_names, `gnnx train --class-names`);
  /// "" when the model names none, or for regression.
  std::string predicted_class_name, explained_class_name;
  std::vector<double> atoms;  ///< [num_atoms] importance per RDKit atom
  std::vector<double> bonds;  ///< [num_bonds] importance per RDKit bond
  Fragment fragment;          ///< the explanation subgraph (fragment.h)
  /// "grad-cam | p_np: P(1) = 0.912 | explaining class 1" (the drawings' legend line); with
  /// class names "grad-cam | label=1: P(nonmutagen) = 0.091 | explaining 'mutagen'".
  std::string legend;
};

/// One molecule of a batch: its explanation, or why it has none (never both).
struct MoleculeResult {
  std::optional<MoleculeExplanation> explanation;
  std::string error;  ///< without an explanation: the featuriser's or explainer's reason
};

/// One record of a molecule file, explained: its explanation, or why it has none.
struct RecordExplanation {
  int64_t index = 0;  ///< the record's position in the file (MoleculeRecord::index)
  int64_t line = 0;
  std::string id;
  std::string smiles;
  const MoleculeRecord* record = nullptr;  ///< the parsed record; null when it was skipped
  std::optional<MoleculeExplanation> explanation;
  std::string error;  ///< without an explanation: the reader's, featuriser's or explainer's reason
};

/// Options of a MoleculeExplainer. Plain aggregate.
struct MoleculeExplainerOptions {
  std::string task;  ///< which task of a multi-task model; "" = the first
  /// The explainer's options (epochs, samples, ...). Molecules are undirected: both directions
  /// of a bond share one mask entry unless symmetric_edges is switched off.
  explainers::MethodOptions method = undirected_defaults();
  FragmentOptions fragment;
  int64_t batch = 64;  ///< molecules per explainer call (>= 1)

  static explainers::MethodOptions undirected_defaults() {
    explainers::MethodOptions o;
    o.symmetric_edges = true;
    return o;
  }
};

class MoleculeExplainer {
 public:
  /// Loads `model_path` (from `gnnx train --data`) and makes explainer `method` (a name of
  /// explainers::methods()). Throws InputError for an unreadable or non-molecule model file, an
  /// unknown task or method.
  MoleculeExplainer(const std::string& model_path, const std::string& method,
                    const MoleculeExplainerOptions& options = MoleculeExplainerOptions());
  ~MoleculeExplainer();
  MoleculeExplainer(MoleculeExplainer&&) noexcept;
  MoleculeExplainer& operator=(MoleculeExplainer&&) noexcept;

  /// `progress(done, total)`: molecules explained so far of those that featurised; called from
  /// the thread that finished a chunk, one call at a time.
  using Progress = std::function<void(int64_t, int64_t)>;

  /// Explains one molecule. Throws InputError when the model cannot featurise it (an element
  /// outside a fixed element list) or the method cannot explain the model.
  MoleculeExplanation explain(const RDKit::ROMol& mol);
  /// Explains molecules: one result per molecule, in input order, each an explanation or the
  /// reason there is none (a null pointer, an element the featuriser lacks, a failure of the
  /// explainer), so that a bad molecule costs only its own result and never throws. The molecules
  /// that featurise go to the explainer together, in chunks of options.batch (a bad one is left
  /// out, not the chunk), the chunks spread over gnn::worker_threads() threads (the same numbers
  /// for any count); a chunk the explainer fails on is redone one molecule at a time. Same
  /// numbers as one at a time up to float rounding.
  ///
  /// Example:
  ///   for (const MoleculeResult& r : explainer.explain({a.get(), b.get()}))
  ///     if (r.explanation) use(*r.explanation); else log(r.error);
  std::vector<MoleculeResult> explain(const std::vector<const RDKit::ROMol*>& mols,
                                      const Progress& progress = nullptr);
  /// The same for molecules already featurised with featurizer() (graphs[i] from mols[i]).
  /// Throws InputError when the two lists differ in length.
  std::vector<MoleculeResult> explain(const std::vector<const RDKit::ROMol*>& mols,
                                      const std::vector<MolGraph>& graphs,
                                      const Progress& progress = nullptr);

  /// Every record of `set`, skipped ones included, in input (index) order: the batch explain()
  /// over the parsed records. The results point into `set`.
  std::vector<RecordExplanation> explain_records(const MoleculeSet& set,
                                                 const Progress& progress = nullptr);

  /// The model's predictions alone (as MoleculeExplanation::prediction), batched.
  std::vector<double> predict(const std::vector<const RDKit::ROMol*>& mols);
  std::vector<double> predict(const std::vector<MolGraph>& graphs);

  /// The picture of an explanation: importances on atoms and bonds, the fragment outlined, the
  /// legend line (options.legend, when empty, becomes e.legend).
  std::string draw(const RDKit::ROMol& mol, const MoleculeExplanation& e, ImageFormat format,
                   DrawOptions options = DrawOptions()) const;

  const FeaturizerOptions& featurizer() const;
  const std::string& task() const;
  const std::string& method() const;
  bool regression() const;
  /// The model's class names (binary tasks: class 0, class 1); empty when it names none.
  const std::vector<std::string>& class_names() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gnnx::molecules
