// evaluate(): explaining a benchmark's targets and scoring the explanations. The synthetic
// scores are here; the molecule ones in molecule_benchmarks.cpp.

#include <gnnx/benchmarks/evaluate.h>
#include <gnnx/benchmarks/explain.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/model_file.h>

#include <algorithm>
#include <chrono>

#ifdef GNNX_WITH_RDKIT
#include "molecule_benchmarks.h"

#include <gnnx/molecules/method_defaults.h>
#endif

namespace gnnx::benchmarks {
namespace {

// Top-k for fidelity and sparsity: the directed edge count of the data set's motif; 12 (the
// house's) for a data set without motifs, such as a user's.
int64_t motif_edge_count(const datasets::Dataset& ds) {
  int64_t most = 0;
  for (const auto& m : ds.class_motif) most = std::max(most, m.num_edges());
  return most > 0 ? most : 12;
}

// Fraction of explanations, among targets whose explained class has a motif, whose top edges
// form that motif.
double motif_recovery(const datasets::Dataset& ds,
                      const std::vector<explainers::Explanation>& explanations) {
  int64_t counted = 0;
  double recovered = 0;
  for (const auto& e : explanations) {
    if (e.explained_class < 0 || e.explained_class >= static_cast<int64_t>(ds.class_motif.size())) {
      continue;
    }
    const gnn::Graph& motif = ds.class_motif[e.explained_class];
    if (motif.num_nodes() == 0) continue;
    const gnn::Graph& graph =
        ds.task == gnn::Task::kNodeClassification ? ds.graphs.front() : ds.graphs.at(e.target);
    recovered += explainers::motif_recovery({e}, graph, motif);
    ++counted;
  }
  return counted ? recovered / counted : NAN;
}

// Contrastivity (Pope et al. 2019): the same graphs explained for class 0 and for class 1; NaN
// for node tasks, where the metric is not defined, and for methods without node maps.
double contrastivity(const std::string& method, explainers::MethodOptions options,
                     gnn::GnnModel& model, const datasets::Dataset& ds, torch::Device device) {
  if (ds.task != gnn::Task::kGraphClassification || ds.num_classes < 2) return NAN;
  std::vector<explainers::Explanation> per_class[2];
  for (int64_t c : {0, 1}) {
    options.explained_class = c;
    per_class[c] = explain_targets(method, options, model, ds, eval_targets(ds), device);
  }
  if (per_class[0].empty() || !per_class[0].front().node_mask.defined()) return NAN;
  return explainers::contrastivity(per_class[0], per_class[1]);
}

// Flip rate and mean size of the counterfactuals, for methods that give them.
void score_counterfactuals(const std::vector<explainers::Explanation>& explanations,
                           MethodScores& s) {
  if (explanations.empty() || !explanations.front().counterfactual) return;
  int64_t flipped = 0;
  double size = 0;
  for (const auto& e : explanations) {
    if (!e.counterfactual || !e.counterfactual->flipped) continue;
    ++flipped;
    size += static_cast<double>(e.counterfactual->size);
  }
  s.flip_rate = static_cast<double>(flipped) / static_cast<double>(explanations.size());
  if (flipped > 0) s.cf_size = size / static_cast<double>(flipped);
}

void score_synthetic(const datasets::Dataset& ds,
                     const std::vector<explainers::Explanation>& explanations, gnn::GnnModel& model,
                     int64_t top_k, MethodScores& s) {
  if (explanations.empty() || !explanations.front().edge_mask.defined()) return;
  // A user's data set may come without ground truth (only the scores below that need none)
  // and has no motif instances (no own-motif AUC).
  if (!ds.gt_edge_mask.empty()) {
    s.auc = explainers::explanation_auc(explanations, ds.gt_edge_mask);
    s.precision = explainers::precision_at_k(explanations, ds.gt_edge_mask);
  }
  if (ds.task == gnn::Task::kNodeClassification && !ds.motif_id.empty()) {
    s.auc_own = explainers::own_motif_auc(explanations, ds.graphs.front(), ds.motif_id.front());
  }
  s.fidelity = explainers::fidelity(model, ds.graphs, explanations,
                                    top_k > 0 ? top_k : motif_edge_count(ds));
  s.motif = motif_recovery(ds, explanations);
  s.flat_masks = explainers::count_flat_edge_masks(explanations);
}

}  // namespace

BenchmarkModel train_benchmark_model(const Benchmark& b, const BenchmarkData& data,
                                     const TrainSettings& settings, uint64_t seed,
                                     gnn::EpochCallback on_epoch, torch::Device device) {
#ifdef GNNX_WITH_RDKIT
  if (b.family == Family::kMolecule) {
    if (!device.is_cpu()) throw InputError("the molecule benchmarks train on the CPU");
    return detail::train_molecule_benchmark_model(data, settings, seed, std::move(on_epoch));
  }
#endif
  const TrainedModel trained =
      train_on_dataset(data.dataset, settings, seed, std::move(on_epoch), device);
  return {trained.model, "(trained, test accuracy " +
                             std::to_string(trained.result.test_accuracy).substr(0, 5) + ")"};
}

BenchmarkModel load_benchmark_model(const Benchmark& b, const BenchmarkData& data,
                                    const std::string& path) {
#ifdef GNNX_WITH_RDKIT
  if (b.family == Family::kMolecule) return detail::load_molecule_benchmark_model(b, data, path);
#endif
  BenchmarkModel m{gnn::load_model(path).model, path};
  check_model_fits(*m.model, data.dataset, path);
  return m;
}

MethodScores evaluate(const Benchmark& b, const BenchmarkData& data, gnn::GnnModel& model,
                      const std::string& method, const EvaluateOptions& options) {
  explainers::make_explainer(method, {});  // an unknown name throws, whatever keep_going says
  MethodScores s;
  s.method = method;
  s.device = explainer_device(method, options.device).str();
  explainers::MethodOptions method_options = options.method;
  if (method_options.explained_class < 0) method_options.explained_class = b.explained_class;
#ifdef GNNX_WITH_RDKIT
  // The molecule benchmarks explain as explain-mol does (molecules/method_defaults.h).
  if (b.family == Family::kMolecule) {
    method_options = molecules::with_molecule_defaults(method, std::move(method_options));
  }
#endif
  const datasets::Dataset& ds = data.dataset;
  const auto start = std::chrono::steady_clock::now();
  std::vector<explainers::Explanation> explanations;
  try {
    explanations =
        explain_targets(method, method_options, model, ds, eval_targets(ds), options.device);
  } catch (const InputError& e) {
    if (!options.keep_going) throw;
    s.error = e.what();
    return s;
  }
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  s.targets = explanations.size();
  score_counterfactuals(explanations, s);
#ifdef GNNX_WITH_RDKIT
  if (b.family == Family::kMolecule) {
    detail::score_molecules(data, explanations, s);
    return s;
  }
#endif
  score_synthetic(ds, explanations, model, options.top_k, s);
  s.contrastivity = contrastivity(method, method_options, model, ds, options.device);
  return s;
}

}  // namespace gnnx::benchmarks
