#pragma once
// Scoring an explainer on a benchmark: a model for the benchmark (trained with its settings or
// loaded and checked), its evaluation targets explained with one method, the explanations
// scored against the ground truth.
//  - Synthetic: ground-truth edge AUC (also against the target's own motif on node tasks),
//    precision@k, fidelity+/- (probability and accuracy forms), characterisation, sparsity,
//    motif recovery, and on graph tasks Pope et al.'s contrastivity (every target explained
//    for class 0 and for class 1).
//  - Mutagenicity: the NO2/NH2 bonds of the mutagens, one edge ROC-AUC pooled over all their
//    edges (PGExplainer's protocol). A method with node scores only gives edge u->v the score
//    min(node u, node v).
//  - Graph attribution (benzene, fluoride-carbonyl, alkane-carbonyl; Sanchez-Lengeling et al.
//    2020): per molecule the best atom ROC-AUC over its valid ground-truth masks, averaged. A
//    method with edge scores only gives an atom the mean of its bonds.

#include <gnnx/benchmarks/catalogue.h>
#include <gnnx/explainers/explainer.h>
#include <gnnx/explainers/metrics.h>

#include <cmath>
#include <memory>
#include <string>

namespace gnnx::benchmarks {

/// A model to evaluate on a benchmark: molecule models are seen as two-class classifiers
/// (gnn::single_task_view).
struct BenchmarkModel {
  std::shared_ptr<gnn::GnnModel> model;
  std::string name;  ///< the file, or "(trained, ...)" with its test score
};

/// Trains a model for `b` on `data` with `settings` (usually b.training) and `seed`. Synthetic
/// benchmarks train on `device`; molecule ones on the CPU (InputError otherwise).
BenchmarkModel train_benchmark_model(const Benchmark& b, const BenchmarkData& data,
                                     const TrainSettings& settings, uint64_t seed,
                                     gnn::EpochCallback on_epoch = nullptr,
                                     torch::Device device = torch::Device(torch::kCPU));

/// Loads a model file and checks that it can be scored on `b`: synthetic benchmarks need the
/// data set's task, feature width and class count; molecule ones a binary single-task property
/// model with the benchmark's featurisation (Mutagenicity: trained on its TUDataset labels).
/// Throws InputError naming what differs.
BenchmarkModel load_benchmark_model(const Benchmark& b, const BenchmarkData& data,
                                    const std::string& path);

struct EvaluateOptions {
  /// The method's options. explained_class < 0: the benchmark's (Benchmark::explained_class),
  /// else the model's prediction. `progress` is called during every explanation run.
  explainers::MethodOptions method;
  int64_t top_k = 0;  ///< synthetic: edges kept for fidelity and sparsity; 0 = the motif's size
  torch::Device device = torch::Device(torch::kCPU);  ///< where GNNExplainer runs
  /// true: a method that cannot explain this model (InputError) gives a row with `error` set
  /// instead of throwing (for `--method all`).
  bool keep_going = false;
};

/// The scores of one method; NaN where a score does not apply.
struct MethodScores {
  std::string method;
  std::string device = "cpu";  ///< where the method ran
  size_t targets = 0;          ///< explanations scored
  double seconds = 0;          ///< explaining the targets (not the contrastivity runs)
  double auc = NAN;            ///< against the ground truth (see the file comment)
  std::string scores_from;     ///< molecules: what gave the scored values ("edge mask", ...)
  double auc_own = NAN;        ///< synthetic node tasks: against the target's own motif
  double precision = NAN;      ///< synthetic: precision@k of the ground-truth edges
  double motif = NAN;          ///< synthetic: motif recovery
  double contrastivity = NAN;  ///< synthetic graph tasks
  int64_t flat_masks = 0;      ///< targets whose edge mask ranks nothing
  /// Counterfactual methods (CF-GNNExplainer): the fraction of targets whose explanation is a
  /// counterfactual that flips the class; NaN for the other methods.
  double flip_rate = NAN;
  /// Counterfactual methods: mean size (deleted edges, undirected ones once) of the
  /// counterfactuals that flip the class; NaN where none does or for the other methods.
  double cf_size = NAN;
  explainers::FidelityScores fidelity;  ///< synthetic
  std::string error;                    ///< keep_going: why the method could not explain the model
};

/// Explains the benchmark's evaluation targets with `method` and scores the explanations.
/// `model` must fit the benchmark (load_benchmark_model / train_benchmark_model). Throws
/// InputError for an unknown method, and, unless keep_going, for one that cannot explain it.
///
/// Example:
///   const Benchmark& b = find_benchmark("ba-2motifs");
///   const BenchmarkData data = b.load({});
///   BenchmarkModel m = train_benchmark_model(b, data, b.training, /*seed=*/0);
///   MethodScores s = evaluate(b, data, *m.model, "saliency", {});
///   s.auc  // ground-truth edge AUC
MethodScores evaluate(const Benchmark& b, const BenchmarkData& data, gnn::GnnModel& model,
                      const std::string& method, const EvaluateOptions& options);

}  // namespace gnnx::benchmarks
