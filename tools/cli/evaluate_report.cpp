#include "cli/evaluate_report.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace gnnx::tools {
namespace {

using Json = nlohmann::ordered_json;
using benchmarks::MethodScores;

Json number(double v) { return std::isnan(v) ? Json() : Json(v); }

Json synthetic_json(const MethodScores& r, const std::string& dataset, const std::string& model) {
  Json j = {{"dataset", dataset},
            {"method", r.method},
            {"model", model},
            {"targets", r.targets},
            {"auc", number(r.auc)},
            {"auc_own_motif", number(r.auc_own)},
            {"precision_at_k", number(r.precision)},
            {"fidelity_plus", r.fidelity.fidelity_plus_prob},
            {"fidelity_minus", r.fidelity.fidelity_minus_prob},
            {"fidelity_plus_acc", r.fidelity.fidelity_plus_acc},
            {"fidelity_minus_acc", r.fidelity.fidelity_minus_acc},
            {"characterization", r.fidelity.characterization},
            {"sparsity", r.fidelity.sparsity},
            {"motif_recovery", number(r.motif)},
            {"contrastivity", number(r.contrastivity)},
            {"flat_masks", r.flat_masks},
            {"flip_rate", number(r.flip_rate)},
            {"cf_size", number(r.cf_size)},
            {"seconds", r.seconds},
            {"device", r.device}};
  if (!r.error.empty()) j["error"] = r.error;
  return j;
}

Json molecule_json(const MethodScores& r, const benchmarks::Benchmark& b,
                   const std::string& model) {
  Json j = {{"dataset", b.name},
            {"method", r.method},
            {"model", model},
            {"targets", r.targets},
            {"explained_class", b.explained_class},
            {"ground_truth", b.ground_truth == benchmarks::GroundTruth::kAtoms ? "atoms" : "edges"},
            {"auc", number(r.auc)},
            {"scores_from", r.scores_from},
            {"flip_rate", number(r.flip_rate)},
            {"cf_size", number(r.cf_size)},
            {"seconds", r.seconds}};
  if (!r.error.empty()) j["error"] = r.error;
  return j;
}

std::string cell(double v) {
  if (std::isnan(v)) return "   -  ";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%6.3f", v);
  return buf;
}

// false when the row is a method that could not explain the model (printed as such).
bool applicable(const MethodScores& r) {
  if (r.error.empty()) return true;
  std::printf("%-22s not applicable: %s\n", r.method.c_str(), r.error.c_str());
  return false;
}

void synthetic_table(const std::vector<MethodScores>& rows) {
  std::printf("%-22s %7s %6s %6s %6s %6s %6s %7s %8s %6s %8s %8s %6s %7s\n", "method", "targets",
              "AUC", "own", "P@k", "fid+", "fid-", "charact", "sparsity", "motif", "seconds",
              "contrast", "flip", "cf-size");
  for (const auto& r : rows) {
    if (!applicable(r)) continue;
    std::printf("%-22s %7zu %s %s %s %s %s  %s   %s %s %8.2f   %s %s  %s\n", r.method.c_str(),
                r.targets, cell(r.auc).c_str(), cell(r.auc_own).c_str(), cell(r.precision).c_str(),
                cell(r.fidelity.fidelity_plus_prob).c_str(),
                cell(r.fidelity.fidelity_minus_prob).c_str(),
                cell(r.fidelity.characterization).c_str(), cell(r.fidelity.sparsity).c_str(),
                cell(r.motif).c_str(), r.seconds, cell(r.contrastivity).c_str(),
                cell(r.flip_rate).c_str(), cell(r.cf_size).c_str());
  }
  if (std::any_of(rows.begin(), rows.end(),
                  [](const MethodScores& r) { return !std::isnan(r.flip_rate); })) {
    std::printf(
        "flip: fraction of targets whose explanation is a counterfactual that changes the "
        "class; cf-size: its mean number of deleted edges (\"-\": not a counterfactual method)\n");
  }
  for (const auto& r : rows) {
    if (r.flat_masks == 0) continue;
    std::printf(
        "note: %s gave %lld of %zu targets the same score on every edge (a map that ranks "
        "nothing, e.g. all zero); their edges tie, which pulls its AUC towards 0.5\n",
        r.method.c_str(), static_cast<long long>(r.flat_masks), r.targets);
  }
}

void molecule_table(const std::vector<MethodScores>& rows) {
  std::printf("%-22s %7s %6s %8s  %s\n", "method", "targets", "AUC", "seconds", "scores from");
  for (const auto& r : rows) {
    if (!applicable(r)) continue;
    std::printf("%-22s %7zu %6.3f %8.2f  %s\n", r.method.c_str(), r.targets, r.auc, r.seconds,
                r.scores_from.c_str());
  }
}

}  // namespace

nlohmann::ordered_json evaluation_json(const MethodScores& r, const benchmarks::Benchmark& b,
                                       const std::string& model) {
  return b.family == benchmarks::Family::kMolecule ? molecule_json(r, b, model)
                                                   : synthetic_json(r, b.name, model);
}

void print_evaluation(const benchmarks::Benchmark& b, const benchmarks::BenchmarkData& data,
                      const std::string& model, const std::vector<MethodScores>& rows, bool list,
                      bool json) {
  const bool molecules = b.family == benchmarks::Family::kMolecule;
  const auto targets = static_cast<size_t>(data.dataset.eval_targets.numel());
  const bool user = b.family == benchmarks::Family::kUser;
  const bool truth = !data.dataset.gt_edge_mask.empty();
  if (json) {
    Json out = Json::array();
    for (const auto& r : rows) {
      out.push_back(evaluation_json(r, b, model));
      if (user) out.back()["ground_truth"] = truth;
    }
    std::cout << (list ? out : out.front()).dump() << "\n";
    return;
  }
  if (!molecules) {
    std::printf("data set %s, model %s, %zu evaluation targets\n", b.name.c_str(), model.c_str(),
                targets);
    if (user && !truth) {
      std::printf(
          "no ground truth (%s): AUC, own, P@k and motif are not computed; fidelity, "
          "characterisation and sparsity are\n",
          b.task == gnn::Task::kNodeClassification
              ? "give --gt-edges or --gt-nodes"
              : "the TUDataset folder has no <NAME>_edge_gt.txt");
    }
    synthetic_table(rows);
    return;
  }
  std::printf("data set %s, model %s\n%zu targets (%s), explaining class %lld, ground truth: %s\n",
              b.name.c_str(), model.c_str(), targets, b.targets.c_str(),
              static_cast<long long>(b.explained_class), b.scoring.c_str());
  molecule_table(rows);
}

}  // namespace gnnx::tools
