#include "cli/seed_summary.h"

#include "cli/evaluate_report.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace gnnx::tools {
namespace {

using benchmarks::MethodScores;
using Json = nlohmann::ordered_json;

Json number(double v) { return std::isnan(v) ? Json() : Json(v); }

// " 0.976±0.004" in 12 columns; "-" for a mean no seed had, "±  -  " for one seed's value.
std::string cell(const MeanSd& m, const char* mean_format, const char* sd_format) {
  if (std::isnan(m.mean)) return "      -     ";
  char mean[16], sd[16], out[40];
  std::snprintf(mean, sizeof mean, mean_format, m.mean);
  if (std::isnan(m.sd)) {
    std::snprintf(sd, sizeof sd, "  -  ");
  } else {
    std::snprintf(sd, sizeof sd, sd_format, m.sd);
  }
  std::snprintf(out, sizeof out, "%s±%s", mean, sd);
  return out;
}

std::string seed_range(const std::vector<uint64_t>& seeds) {
  std::string out;
  for (uint64_t s : seeds) out += (out.empty() ? "" : " ") + std::to_string(s);
  return out;
}

}  // namespace

MeanSd mean_sd(const std::vector<double>& values) {
  MeanSd out;
  double sum = 0;
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    sum += v;
    ++out.n;
  }
  if (out.n == 0) return out;
  out.mean = sum / static_cast<double>(out.n);
  if (out.n < 2) return out;
  double squares = 0;  // two passes: no cancellation for near-equal values
  for (double v : values) {
    if (std::isfinite(v)) squares += (v - out.mean) * (v - out.mean);
  }
  out.sd = std::sqrt(squares / static_cast<double>(out.n - 1));
  return out;
}

const std::vector<SeedMetric>& seed_metrics(benchmarks::Family family) {
  static const std::vector<SeedMetric> synthetic = {
      {"auc", "AUC", [](const MethodScores& r) { return r.auc; }},
      {"auc_own_motif", "own", [](const MethodScores& r) { return r.auc_own; }},
      {"precision_at_k", "P@k", [](const MethodScores& r) { return r.precision; }},
      {"fidelity_plus", "fid+",
       [](const MethodScores& r) { return r.fidelity.fidelity_plus_prob; }},
      {"fidelity_minus", "fid-",
       [](const MethodScores& r) { return r.fidelity.fidelity_minus_prob; }},
      {"characterization", "charact",
       [](const MethodScores& r) { return r.fidelity.characterization; }},
      {"sparsity", "sparsity", [](const MethodScores& r) { return r.fidelity.sparsity; }},
      {"motif_recovery", "motif", [](const MethodScores& r) { return r.motif; }},
      {"contrastivity", "contrast", [](const MethodScores& r) { return r.contrastivity; }},
      {"flip_rate", "flip", [](const MethodScores& r) { return r.flip_rate; }},
      {"cf_size", "cf-size", [](const MethodScores& r) { return r.cf_size; }},
      {"seconds", "seconds", [](const MethodScores& r) { return r.seconds; }},
  };
  static const std::vector<SeedMetric> molecule = {
      {"auc", "AUC", [](const MethodScores& r) { return r.auc; }},
      {"flip_rate", "flip", [](const MethodScores& r) { return r.flip_rate; }},
      {"cf_size", "cf-size", [](const MethodScores& r) { return r.cf_size; }},
      {"seconds", "seconds", [](const MethodScores& r) { return r.seconds; }},
  };
  return family == benchmarks::Family::kMolecule ? molecule : synthetic;
}

std::vector<SeedSummary> summarise_seeds(const std::vector<std::vector<MethodScores>>& runs) {
  std::vector<SeedSummary> out;
  if (runs.empty()) return out;
  for (const MethodScores& first : runs.front()) out.push_back({first.method, {}, ""});
  for (const auto& run : runs) {
    for (size_t m = 0; m < out.size(); ++m) {
      const MethodScores& r = run.at(m);
      out[m].per_seed.push_back(r);
      if (out[m].error.empty()) out[m].error = r.error;
    }
  }
  return out;
}

void print_seed_summary(const benchmarks::Benchmark& b, const std::vector<uint64_t>& seeds,
                        const std::vector<std::string>& models,
                        const std::vector<SeedSummary>& summary, bool json) {
  const std::vector<SeedMetric>& metrics = seed_metrics(b.family);
  auto stats = [](const SeedSummary& s, const SeedMetric& metric) {
    std::vector<double> values;
    for (const MethodScores& r : s.per_seed) values.push_back(metric.value(r));
    return mean_sd(values);
  };
  if (json) {
    Json out = Json::array();
    for (const SeedSummary& s : summary) {
      Json row = {{"dataset", b.name}, {"method", s.method}, {"seeds", seeds}};
      if (!s.error.empty()) {
        row["error"] = s.error;
      } else {
        Json mean = Json::object(), sd = Json::object();
        for (const SeedMetric& metric : metrics) {
          const MeanSd m = stats(s, metric);
          mean[metric.json] = number(m.mean);
          sd[metric.json] = number(m.sd);
        }
        row["mean"] = mean;
        row["sd"] = sd;
      }
      Json per_seed = Json::array();
      for (size_t i = 0; i < s.per_seed.size(); ++i) {
        per_seed.push_back(evaluation_json(s.per_seed[i], b, models.at(i)));
        per_seed.back()["seed"] = seeds.at(i);
      }
      row["per_seed"] = per_seed;
      out.push_back(row);
    }
    std::cout << out.dump() << "\n";
    return;
  }
  std::printf(
      "data set %s, seeds %s (each: the data set, a model trained and the explanations "
      "of that seed); mean ± sample standard deviation over the seeds\n",
      b.name.c_str(), seed_range(seeds).c_str());
  std::printf("%-22s", "method");
  for (const SeedMetric& metric : metrics) std::printf(" %12s", metric.header);
  std::printf("  AUC per seed\n");
  for (const SeedSummary& s : summary) {
    if (!s.error.empty()) {
      std::printf("%-22s not applicable: %s\n", s.method.c_str(), s.error.c_str());
      continue;
    }
    std::printf("%-22s", s.method.c_str());
    for (const SeedMetric& metric : metrics) {
      const bool seconds = std::string(metric.json) == "seconds";
      std::printf(" %s", seconds ? cell(stats(s, metric), "%6.2f", "%5.2f").c_str()
                                 : cell(stats(s, metric), "%6.3f", "%5.3f").c_str());
    }
    std::printf(" ");
    for (const MethodScores& r : s.per_seed) {
      if (std::isnan(r.auc)) {
        std::printf(" -");
      } else {
        std::printf(" %.3f", r.auc);
      }
    }
    std::printf("\n");
  }
}

}  // namespace gnnx::tools
