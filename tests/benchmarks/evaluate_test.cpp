// evaluate() on tiny runs: a model trained for a few epochs with the benchmark's settings,
// a few targets, scores that are finite and in range; methods that cannot explain a model.

#include <gnnx/benchmarks/evaluate.h>
#include <gnnx/benchmarks/explain.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/model_file.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace gnnx::benchmarks {
namespace {

void expect_unit(double v, const char* what) {
  EXPECT_TRUE(std::isfinite(v)) << what;
  EXPECT_GE(v, 0.0) << what;
  EXPECT_LE(v, 1.0) << what;
}

/// A model for `b` trained for `epochs` epochs with the benchmark's other settings.
BenchmarkModel tiny_model(const Benchmark& b, const BenchmarkData& data, int64_t epochs) {
  TrainSettings settings = b.training;
  settings.epochs = epochs;
  return train_benchmark_model(b, data, settings, /*seed=*/0);
}

TEST(EvaluateTest, GraphTaskGivesFiniteScoresForEveryTarget) {
  const Benchmark& b = find_benchmark("ba-2motifs");
  BenchmarkData data = b.load({});
  data.limit_targets(6);
  const BenchmarkModel model = tiny_model(b, data, 3);
  EXPECT_NE(model.name.find("trained"), std::string::npos) << model.name;
  const MethodScores s = evaluate(b, data, *model.model, "saliency", {});
  EXPECT_EQ(s.method, "saliency");
  EXPECT_EQ(s.device, "cpu");
  EXPECT_TRUE(s.error.empty()) << s.error;
  EXPECT_EQ(s.targets, 6u);
  expect_unit(s.auc, "auc");
  expect_unit(s.precision, "precision");
  expect_unit(s.motif, "motif recovery");
  expect_unit(s.contrastivity, "contrastivity");
  EXPECT_TRUE(std::isfinite(s.fidelity.fidelity_plus_prob));
  EXPECT_TRUE(std::isfinite(s.fidelity.sparsity));
  EXPECT_TRUE(std::isnan(s.auc_own));  // node tasks only
  EXPECT_GE(s.seconds, 0.0);
}

TEST(EvaluateTest, NodeTaskScoresAgainstTheOwnMotifToo) {
  const Benchmark& b = find_benchmark("ba-shapes");
  BenchmarkData data = b.load({});
  data.limit_targets(4);
  const BenchmarkModel model = tiny_model(b, data, 5);
  EvaluateOptions options;
  options.top_k = 6;
  const MethodScores s = evaluate(b, data, *model.model, "saliency", options);
  EXPECT_EQ(s.targets, 4u);
  expect_unit(s.auc, "auc");
  expect_unit(s.auc_own, "auc_own");
  EXPECT_TRUE(std::isnan(s.contrastivity));  // graph tasks only
}

TEST(EvaluateTest, AMethodThatCannotExplainTheModelThrowsOrIsRecorded) {
  // BA-2Motifs trains with a max readout; CAM needs a mean readout.
  const Benchmark& b = find_benchmark("ba-2motifs");
  BenchmarkData data = b.load({});
  data.limit_targets(2);
  const BenchmarkModel model = tiny_model(b, data, 1);
  EXPECT_THROW(evaluate(b, data, *model.model, "cam", {}), InputError);
  EvaluateOptions options;
  options.keep_going = true;
  const MethodScores s = evaluate(b, data, *model.model, "cam", options);
  EXPECT_FALSE(s.error.empty());
  EXPECT_EQ(s.targets, 0u);
  EXPECT_THROW(evaluate(b, data, *model.model, "no-such-method", options), InputError);
}

TEST(EvaluateTest, LoadedModelMustFitTheBenchmark) {
  const Benchmark& shapes = find_benchmark("ba-shapes");
  const BenchmarkData shapes_data = shapes.load({});
  const BenchmarkModel model = tiny_model(shapes, shapes_data, 1);
  const auto path = std::filesystem::temp_directory_path() / "gnnx_evaluate_test_model.gnnx";
  gnn::save_model(path.string(), *model.model);
  EXPECT_EQ(load_benchmark_model(shapes, shapes_data, path.string()).name, path.string());
  const Benchmark& motifs = find_benchmark("ba-2motifs");
  EXPECT_THROW(load_benchmark_model(motifs, motifs.load({}), path.string()), InputError);
  std::filesystem::remove(path);
}

TEST(EvaluateTest, MoleculeBenchmarkScoresRuleAtoms) {
  const char* shared = std::getenv("GNNX_SHARED_DATA");
  const Benchmark* b = nullptr;
  for (const Benchmark& candidate : catalogue()) {
    if (candidate.name == "fluoride-carbonyl") b = &candidate;
  }
  if (b == nullptr || shared == nullptr ||
      !std::filesystem::exists(std::filesystem::path(shared) / b->data_file)) {
    GTEST_SKIP() << "no fluoride-carbonyl data (RDKit off, or no GNNX_SHARED_DATA)";
  }
  BenchmarkData data = b->load({0, shared});
  data.limit_targets(3);
  TrainSettings settings = b->training;
  settings.epochs = 1;
  settings.hidden = 16;
  const BenchmarkModel model = train_benchmark_model(*b, data, settings, /*seed=*/0);
  const MethodScores s = evaluate(*b, data, *model.model, "saliency", {});
  EXPECT_EQ(s.targets, 3u);
  expect_unit(s.auc, "atom auc");
  EXPECT_EQ(s.scores_from, "node mask");
}

}  // namespace
}  // namespace gnnx::benchmarks
