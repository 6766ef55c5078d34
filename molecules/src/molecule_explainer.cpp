// MoleculeExplainer (see molecule_explainer.h): a property model seen through one task, its
// featuriser, and an explainer, mapping explanations back to RDKit atoms and bonds.

#include <GraphMol/ROMol.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/model_file.h>
#include <gnnx/gnn/property_training.h>
#include <gnnx/gnn/threads.h>
#include <gnnx/io/tensor_vector.h>
#include <gnnx/io/text.h>
#include <gnnx/molecules/molecule_explainer.h>
// Not in molecule_explainer.h, which keeps LibTorch out of its includers.
#include <gnnx/explainers/explainer.h>
#include <gnnx/molecules/atom_bond_values.h>
#include <gnnx/molecules/featurize.h>

#include <algorithm>
#include <cstdio>
#include <mutex>

namespace gnnx::molecules {

struct MoleculeExplainer::Impl {
  std::shared_ptr<gnn::GnnModel> view;  // gnn::single_task_view of the file's model
  FeaturizerOptions featurizer;
  gnn::PropertyKind kind = gnn::PropertyKind::kBinary;
  std::string task, method;
  std::vector<std::string> class_names;  // binary tasks: none or two
  MoleculeExplainerOptions options;
  std::unique_ptr<explainers::Explainer> explainer;

  /// P(class 1) of a binary task from the view's two logits; the value of a regression task.
  double prediction_of(const torch::Tensor& output_row) const {
    return kind == gnn::PropertyKind::kBinary ? torch::softmax(output_row, 0)[1].item<double>()
                                              : output_row[0].item<double>();
  }

  std::string class_name(int64_t c) const {
    return c >= 0 && c < static_cast<int64_t>(class_names.size()) ? class_names[c] : "";
  }

  std::string legend(const MoleculeExplanation& e) const {
    char text[320];
    if (kind != gnn::PropertyKind::kBinary) {
      std::snprintf(text, sizeof text, "%s | %s = %.3f", method.c_str(), task.c_str(),
                    e.prediction);
    } else if (class_names.empty()) {
      std::snprintf(text, sizeof text, "%s | %s: P(1) = %.3f | explaining class %lld",
                    method.c_str(), task.c_str(), e.prediction,
                    static_cast<long long>(e.explained_class));
    } else {
      std::snprintf(text, sizeof text, "%s | %s: P(%s) = %.3f | explaining '%s'", method.c_str(),
                    task.c_str(), class_names[1].c_str(), e.prediction,
                    e.explained_class_name.c_str());
    }
    return text;
  }

  /// One chunk through the model and the explainer together; throws for any failure.
  std::vector<MoleculeExplanation> explain_chunk(const std::vector<const RDKit::ROMol*>& mols,
                                                 const std::vector<const MolGraph*>& mol_graphs) {
    std::vector<gnn::Graph> graphs;
    graphs.reserve(mol_graphs.size());
    for (const MolGraph* g : mol_graphs) graphs.push_back(g->graph);
    const std::vector<explainers::Explanation> explanations =
        explainer->explain_graphs(*view, graphs);
    // The prediction from the explainer's own forward pass (Explanation::logits: the same
    // logits, bit for bit, as a pass of ours, since each graph of a disjoint union is computed
    // on its own); a pass of ours only for a method that reports none.
    const bool have_logits =
        std::all_of(explanations.begin(), explanations.end(),
                    [](const explainers::Explanation& ex) { return ex.logits.defined(); });
    const torch::Tensor outputs =
        have_logits ? torch::Tensor() : gnn::predict_graphs(*view, graphs);
    std::vector<MoleculeExplanation> results;
    results.reserve(mols.size());
    for (size_t i = 0; i < mols.size(); ++i) {
      const explainers::Explanation& ex = explanations.at(i);
      MoleculeExplanation e;
      e.prediction = prediction_of(have_logits ? ex.logits : outputs[static_cast<int64_t>(i)]);
      if (kind == gnn::PropertyKind::kBinary) {
        e.predicted_class = ex.predicted_class;
        e.explained_class = ex.explained_class;
        e.predicted_class_name = class_name(e.predicted_class);
        e.explained_class_name = class_name(e.explained_class);
      }
      AtomBondValues values = atom_bond_values(*mol_graphs[i], ex);
      e.atoms = std::move(values.atoms);
      e.bonds = std::move(values.bonds);
      e.fragment = explanation_fragment(*mols[i], e.atoms, options.fragment);
      e.legend = legend(e);
      results.push_back(std::move(e));
    }
    return results;
  }

  /// The batch explain() of the molecules at `todo` (graphs[k] is mols[todo[k]]'s), into
  /// `results`: chunks of options.batch over the worker threads, a failing chunk redone one
  /// molecule at a time.
  void explain_featurised(const std::vector<const RDKit::ROMol*>& mols,
                          const std::vector<const MolGraph*>& graphs,
                          const std::vector<size_t>& todo, std::vector<MoleculeResult>& results,
                          const Progress& progress) {
    // Chunks go to gnnx's worker threads (gnn/threads.h), each chunk whole to one thread: its
    // numbers do not depend on the thread count. The model is put in evaluation mode once, here:
    // the explainers' own mode guards then restore that mode, whichever thread ends last.
    view->eval();
    const auto chunk = static_cast<size_t>(options.batch);
    const auto chunks = static_cast<int64_t>((todo.size() + chunk - 1) / chunk);
    std::mutex progress_mutex;
    int64_t done = 0;
    gnn::parallel_for_each(chunks, gnn::worker_threads(), [&](int64_t c) {
      const size_t begin = static_cast<size_t>(c) * chunk;
      const size_t end = std::min(todo.size(), begin + chunk);
      std::vector<const RDKit::ROMol*> part_mols;
      const std::vector<const MolGraph*> part_graphs(graphs.begin() + begin, graphs.begin() + end);
      for (size_t k = begin; k < end; ++k) part_mols.push_back(mols[todo[k]]);
      std::vector<MoleculeExplanation> together;
      try {
        together = explain_chunk(part_mols, part_graphs);
      } catch (const std::exception&) {
        together.clear();  // redone below, one molecule at a time
      }
      for (size_t k = begin; k < end; ++k) {
        MoleculeResult& r = results[todo[k]];
        if (!together.empty()) {
          r.explanation = std::move(together[k - begin]);
          continue;
        }
        try {
          r.explanation = explain_chunk({part_mols[k - begin]}, {graphs[k]}).front();
        } catch (const std::exception& e) {
          r.error = e.what();
        }
      }
      if (progress) {
        const std::lock_guard<std::mutex> lock(progress_mutex);
        done += static_cast<int64_t>(end - begin);
        progress(done, static_cast<int64_t>(todo.size()));
      }
    });
  }
};

MoleculeExplainer::MoleculeExplainer(const std::string& model_path, const std::string& method,
                                     const MoleculeExplainerOptions& options)
    : impl_(std::make_unique<Impl>()) {
  if (options.batch < 1) throw InputError("MoleculeExplainer: batch must be >= 1");
  const gnn::ModelFile file = gnn::load_model(model_path);
  auto not_a_molecule_model = [&](const std::string& key) {
    return InputError("model '" + model_path + "' is not a molecule model (no '" + key +
                      "'): train it with gnnx train --data");
  };
  Impl& m = *impl_;
  if (!file.card.property_kind) throw not_a_molecule_model("property.kind");
  m.kind = *file.card.property_kind;
  const std::vector<std::string>& tasks = file.card.tasks;
  if (tasks.empty()) throw not_a_molecule_model("property.tasks");
  m.featurizer = FeaturizerOptions::from_metadata(file.card.featurisation.options);
  int64_t index = 0;
  if (!options.task.empty()) {
    auto it = std::find(tasks.begin(), tasks.end(), options.task);
    if (it == tasks.end()) {
      const std::string names = io::join(tasks, ", ");
      throw InputError("task '" + options.task + "' is not a task of the model (tasks: " + names +
                       ")");
    }
    index = it - tasks.begin();
  }
  m.task = tasks.at(index);
  m.class_names = file.card.class_names;
  if (!m.class_names.empty() &&
      (m.kind != gnn::PropertyKind::kBinary || m.class_names.size() != 2)) {
    throw InputError("model '" + model_path + "' names " + std::to_string(m.class_names.size()) +
                     " classes (" + io::join(m.class_names, ", ") + ") for a " +
                     gnn::to_string(m.kind) + " task: a binary task has two, a regression none");
  }
  m.view = gnn::single_task_view(*file.model, index, m.kind);
  m.method = method;
  m.options = options;
  m.explainer = explainers::make_explainer(method, with_molecule_defaults(method, options.method));
}

MoleculeExplainer::~MoleculeExplainer() = default;
MoleculeExplainer::MoleculeExplainer(MoleculeExplainer&&) noexcept = default;
MoleculeExplainer& MoleculeExplainer::operator=(MoleculeExplainer&&) noexcept = default;

MoleculeExplanation MoleculeExplainer::explain(const RDKit::ROMol& mol) {
  const MolGraph graph = molecules::featurize(mol, impl_->featurizer);
  impl_->view->eval();
  return impl_->explain_chunk({&mol}, {&graph}).front();
}

std::vector<MoleculeResult> MoleculeExplainer::explain(const std::vector<const RDKit::ROMol*>& mols,
                                                       const Progress& progress) {
  std::vector<MoleculeResult> results(mols.size());
  std::vector<MolGraph> graphs;
  std::vector<size_t> todo;
  graphs.reserve(mols.size());
  for (size_t i = 0; i < mols.size(); ++i) {
    if (mols[i] == nullptr) {
      results[i].error = "molecule " + std::to_string(i) + " is a null pointer";
      continue;
    }
    try {
      graphs.push_back(molecules::featurize(*mols[i], impl_->featurizer));
      todo.push_back(i);
    } catch (const std::exception& e) {
      results[i].error = e.what();
    }
  }
  std::vector<const MolGraph*> views;
  views.reserve(graphs.size());
  for (const MolGraph& g : graphs) views.push_back(&g);
  impl_->explain_featurised(mols, views, todo, results, progress);
  return results;
}

std::vector<MoleculeResult> MoleculeExplainer::explain(const std::vector<const RDKit::ROMol*>& mols,
                                                       const std::vector<MolGraph>& graphs,
                                                       const Progress& progress) {
  if (mols.size() != graphs.size()) {
    throw InputError("MoleculeExplainer::explain: " + std::to_string(mols.size()) +
                     " molecules but " + std::to_string(graphs.size()) + " graphs");
  }
  std::vector<MoleculeResult> results(mols.size());
  std::vector<const MolGraph*> views;
  std::vector<size_t> todo;
  for (size_t i = 0; i < mols.size(); ++i) {
    if (mols[i] == nullptr) {
      results[i].error = "molecule " + std::to_string(i) + " is a null pointer";
      continue;
    }
    views.push_back(&graphs[i]);
    todo.push_back(i);
  }
  impl_->explain_featurised(mols, views, todo, results, progress);
  return results;
}

std::vector<RecordExplanation> MoleculeExplainer::explain_records(const MoleculeSet& set,
                                                                  const Progress& progress) {
  std::vector<RecordExplanation> out;
  out.reserve(set.skipped.size() + set.records.size());
  for (const SkippedRecord& s : set.skipped) {
    out.push_back({s.index, s.line, s.id, s.smiles, nullptr, std::nullopt, s.reason});
  }
  std::vector<const RDKit::ROMol*> mols;
  mols.reserve(set.records.size());
  for (const MoleculeRecord& r : set.records) mols.push_back(r.mol.get());
  std::vector<MoleculeResult> results = explain(mols, progress);
  for (size_t i = 0; i < set.records.size(); ++i) {
    const MoleculeRecord& r = set.records[i];
    out.push_back({r.index, r.line, r.id, r.smiles, &r, std::move(results[i].explanation),
                   std::move(results[i].error)});
  }
  std::stable_sort(
      out.begin(), out.end(),
      [](const RecordExplanation& a, const RecordExplanation& b) { return a.index < b.index; });
  return out;
}

std::vector<double> MoleculeExplainer::predict(const std::vector<const RDKit::ROMol*>& mols) {
  std::vector<MolGraph> graphs;
  graphs.reserve(mols.size());
  for (const RDKit::ROMol* mol : mols)
    graphs.push_back(molecules::featurize(*mol, impl_->featurizer));
  return predict(graphs);
}

std::vector<double> MoleculeExplainer::predict(const std::vector<MolGraph>& mol_graphs) {
  const Impl& m = *impl_;
  std::vector<double> out;
  out.reserve(mol_graphs.size());
  const auto batch = static_cast<size_t>(m.options.batch);
  for (size_t begin = 0; begin < mol_graphs.size(); begin += batch) {
    const size_t end = std::min(mol_graphs.size(), begin + batch);
    std::vector<gnn::Graph> graphs;
    for (size_t i = begin; i < end; ++i) graphs.push_back(mol_graphs[i].graph);
    const torch::Tensor outputs = gnn::predict_graphs(*m.view, graphs);
    for (size_t i = begin; i < end; ++i) out.push_back(m.prediction_of(outputs[i - begin]));
  }
  return out;
}

std::string MoleculeExplainer::draw(const RDKit::ROMol& mol, const MoleculeExplanation& e,
                                    ImageFormat format, DrawOptions options) const {
  if (options.legend.empty()) options.legend = e.legend;
  options.outline_atoms = e.fragment.atoms;
  options.outline_bonds = e.fragment.bonds;
  return draw_molecule(mol, e.atoms, e.bonds, options, format);
}

const FeaturizerOptions& MoleculeExplainer::featurizer() const { return impl_->featurizer; }
const std::string& MoleculeExplainer::task() const { return impl_->task; }
const std::string& MoleculeExplainer::method() const { return impl_->method; }
bool MoleculeExplainer::regression() const { return impl_->kind == gnn::PropertyKind::kRegression; }
const std::vector<std::string>& MoleculeExplainer::class_names() const {
  return impl_->class_names;
}

}  // namespace gnnx::molecules
