#pragma once
// The molecule half of the catalogue (builds with RDKit only): the rows, their loaders, their
// models and their scores. Private to the benchmarks library.

#include <gnnx/benchmarks/catalogue.h>
#include <gnnx/benchmarks/evaluate.h>
#include <gnnx/molecules/featurize.h>

#include <cstdint>
#include <vector>

namespace gnnx::benchmarks::detail {

/// Graph attribution: per target (in eval_targets order of the full data), the molecule's
/// featurisation map and its valid ground-truth atom sets.
struct AtomTruth {
  std::vector<molecules::MolGraph> mol_graphs;
  std::vector<std::vector<std::vector<int64_t>>> masks;
};

/// The molecule rows of the catalogue.
std::vector<Benchmark> molecule_benchmarks();

/// A model trained on data.train_graphs (one binary task), seen as a two-class classifier.
BenchmarkModel train_molecule_benchmark_model(const BenchmarkData& data,
                                              const TrainSettings& settings, uint64_t seed,
                                              gnn::EpochCallback on_epoch);

/// A model file from `gnnx train --data` checked against the benchmark (see evaluate.h).
BenchmarkModel load_molecule_benchmark_model(const Benchmark& b, const BenchmarkData& data,
                                             const std::string& path);

/// Sets s.auc and s.scores_from: pooled edge ROC-AUC (GroundTruth::kEdges) or the mean best
/// atom ROC-AUC (kAtoms).
void score_molecules(const BenchmarkData& data,
                     const std::vector<explainers::Explanation>& explanations, MethodScores& s);

}  // namespace gnnx::benchmarks::detail
