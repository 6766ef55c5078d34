#pragma once
// What `gnnx evaluate` prints: a table of the methods' scores (or JSON: one object, or an array
// for --method all). Synthetic and molecule benchmarks have their own columns.

#include <gnnx/benchmarks/catalogue.h>
#include <gnnx/benchmarks/evaluate.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace gnnx::tools {

/// One row of evaluate's JSON: the method's scores on benchmark `b` with the model named `model`.
nlohmann::ordered_json evaluation_json(const benchmarks::MethodScores& r,
                                       const benchmarks::Benchmark& b, const std::string& model);

/// `model`: the model's name (its file, or how it was trained); `list`: --method all (JSON:
/// an array even for one row).
void print_evaluation(const benchmarks::Benchmark& b, const benchmarks::BenchmarkData& data,
                      const std::string& model, const std::vector<benchmarks::MethodScores>& rows,
                      bool list, bool json);

}  // namespace gnnx::tools
