#pragma once
// `gnnx evaluate --seeds K` (issue 18 item 5): each method's scores over K seeds — each seed a
// new data set, a new model and new explanations — as mean ± sample standard deviation, in a
// table or JSON with every seed's own row kept.

#include <gnnx/benchmarks/catalogue.h>
#include <gnnx/benchmarks/evaluate.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace gnnx::tools {

/// The mean and sample standard deviation of the finite values of a list (NaN: a score the seed
/// did not have, e.g. AUC without ground truth). n counts the finite values; sd is NaN below 2.
struct MeanSd {
  double mean = NAN;
  double sd = NAN;
  int64_t n = 0;
};
MeanSd mean_sd(const std::vector<double>& values);

/// One scored quantity of MethodScores, by its JSON name ("auc", "fidelity_plus", ...).
struct SeedMetric {
  const char* json;    ///< the name evaluate's JSON gives it
  const char* header;  ///< the table's column
  double (*value)(const benchmarks::MethodScores&);
};
/// The metrics summarised for a benchmark family, in the table's order.
const std::vector<SeedMetric>& seed_metrics(benchmarks::Family family);

/// One method over the seeds.
struct SeedSummary {
  std::string method;
  std::vector<benchmarks::MethodScores> per_seed;  ///< in the seeds' order
  /// Why the method could not explain some seed's model (the first such seed's reason; that
  /// method then has no mean).
  std::string error;
};

/// Groups `runs` (runs[s][m]: seed s, method m, every seed the same methods in the same order)
/// by method.
std::vector<SeedSummary> summarise_seeds(
    const std::vector<std::vector<benchmarks::MethodScores>>& runs);

/// Prints the summary: a table of mean ± sd per metric, or JSON (one object per method with
/// "seeds", "mean", "sd" and "per_seed", the last as evaluate's own rows).
/// models[s]: seed s's model name.
void print_seed_summary(const benchmarks::Benchmark& b, const std::vector<uint64_t>& seeds,
                        const std::vector<std::string>& models,
                        const std::vector<SeedSummary>& summary, bool json);

}  // namespace gnnx::tools
