#include "cli/train_report.h"

#include <gnnx/benchmarks/chance_level.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>

namespace gnnx::tools {
namespace {

/// The layer type as papers write it, for the summary line.
const char* arch_label(gnn::Architecture arch) {
  switch (arch) {
    case gnn::Architecture::kGcn:
      return "GCN";
    case gnn::Architecture::kGin:
      return "GIN";
    case gnn::Architecture::kGine:
      return "GINE";
    case gnn::Architecture::kGraphConv:
      return "GraphConv";
    case gnn::Architecture::kSage:
      return "GraphSAGE";
    case gnn::Architecture::kGat:
      return "GAT";
  }
  return "GNN";
}

/// A model at chance level (benchmarks/chance_level.h): a warning on stderr, as gnnx's other
/// warnings not with --quiet.
void warn_if_at_chance(const std::optional<benchmarks::ChanceLevel>& chance, bool quiet) {
  if (!chance || !chance->at_chance || quiet) return;
  std::cerr << "gnnx: warning: " << benchmarks::chance_warning(*chance) << "\n";
}

/// --json: "at_chance" (null without a verdict), "chance_level" and, at chance, "warning" —
/// whatever --quiet says, since the JSON is the result a script reads.
void add_chance_fields(nlohmann::ordered_json& j,
                       const std::optional<benchmarks::ChanceLevel>& chance) {
  if (!chance) {
    j["at_chance"] = nullptr;
    return;
  }
  j["at_chance"] = chance->at_chance;
  j["chance_level"] = {
      {"metric", chance->metric}, {"val", chance->score}, {"chance", chance->chance}};
  if (chance->at_chance) j["warning"] = benchmarks::chance_warning(*chance);
}

}  // namespace

void print_training(const benchmarks::TrainedModel& m, const datasets::Dataset& ds, uint64_t seed,
                    const std::string& out, bool json, const GlobalOptions& globals) {
  const gnn::ModelSpec& spec = m.spec;
  const gnn::TrainOptions& options = m.options;
  const gnn::TrainResult& result = m.result;
  const std::optional<benchmarks::ChanceLevel> chance = benchmarks::classifier_chance(result, ds);
  warn_if_at_chance(chance, globals.quiet);
  if (json) {
    nlohmann::ordered_json j = {
        {"dataset", ds.name},
        {"task", gnn::to_string(ds.task)},
        {"seed", seed},
        {"train_acc", result.train_accuracy},
        {"val_acc", result.val_accuracy},
        {"test_acc", result.test_accuracy},
        {"best_epoch", result.best_epoch},
        {"final_loss", result.final_loss},
        {"epochs", options.epochs},
        {"lr", options.lr},
        {"weight_decay", options.weight_decay},
        {"arch", gnn::to_string(spec.arch)},
        {"hidden", spec.hidden},
        {"layers", spec.num_layers},
        {"heads", spec.heads},
        {"edge_dim", spec.edge_dim},
        {"dropout", spec.dropout},
        {"bias_init", spec.bias_init},
        {"readout", gnn::to_string(spec.readout)},
        {"edge_dropout", options.edge_dropout},
        {"aggregation", gnn::to_string(spec.aggregation)},
        {"embedding_norm", gnn::to_string(spec.embedding_norm)},
        {"threads", globals.threads},
        {"intra_op_threads", globals.intra_op_threads},
        {"device", globals.device},
        {"seconds", result.seconds},
        {"out", out},
    };
    add_chance_fields(j, chance);
    std::cout << j.dump() << "\n";
    return;
  }
  int64_t nodes = 0;
  for (const gnn::Graph& g : ds.graphs) nodes += g.num_nodes();
  std::printf(
      "trained a %lld-layer %s on %s (%s classification, %zu graph%s, %lld nodes, "
      "%lld classes) in %.1f s\n",
      static_cast<long long>(spec.num_layers), arch_label(spec.arch), ds.name.c_str(),
      gnn::to_string(ds.task).c_str(), ds.graphs.size(), ds.graphs.size() == 1 ? "" : "s",
      static_cast<long long>(nodes), static_cast<long long>(spec.num_classes), result.seconds);
  std::printf("accuracy: train %.4f  val %.4f  test %.4f  (best epoch %lld of %lld)\n",
              result.train_accuracy, result.val_accuracy, result.test_accuracy,
              static_cast<long long>(result.best_epoch), static_cast<long long>(options.epochs));
  std::printf("saved %s\n", out.c_str());
}

#ifdef GNNX_WITH_RDKIT
namespace {

nlohmann::ordered_json number(double v) {
  return std::isnan(v) ? nlohmann::ordered_json() : nlohmann::ordered_json(v);
}

nlohmann::ordered_json scores_json(const gnn::PropertyScores& s, gnn::PropertyKind kind) {
  nlohmann::ordered_json j;
  const char* metric = kind == gnn::PropertyKind::kBinary ? "roc_auc" : "rmse";
  j[metric] = number(s.score);
  nlohmann::ordered_json per = nlohmann::ordered_json::array();
  for (double v : s.task_scores) per.push_back(number(v));
  j[std::string(metric) + "_per_task"] = per;
  if (kind == gnn::PropertyKind::kBinary) j["accuracy"] = s.accuracy;
  j["labels"] = s.num_labels;
  return j;
}

nlohmann::ordered_json cv_json(const benchmarks::CrossValidation& cv) {
  return {{"folds", cv.test_accuracies.size()},      {"test_accuracy_mean", cv.test_accuracy.mean},
          {"test_accuracy_sd", cv.test_accuracy.sd}, {"test_roc_auc_mean", cv.test_auc.mean},
          {"test_roc_auc_sd", cv.test_auc.sd},       {"val_accuracy_mean", cv.val_accuracy.mean},
          {"test_accuracy", cv.test_accuracies},     {"test_roc_auc", cv.test_aucs},
          {"val_accuracy", cv.val_accuracies}};
}

}  // namespace

void print_read_summary(const benchmarks::MoleculeData& data) {
  const auto total_skipped = static_cast<int64_t>(data.skipped.size());
  std::cerr << "gnnx: " << data.source << ": " << data.graphs.size() << " molecules read, "
            << total_skipped << " skipped";
  int64_t listed = 0;
  for (const auto& s : data.skipped) {
    if (listed++ == 20) {
      std::cerr << "\n  ... and " << total_skipped - 20 << " more";
      break;
    }
    std::cerr << "\n  line " << s.line << ": " << s.smiles << ": " << s.reason;
  }
  std::cerr << "\n";
}

void print_molecule_training(const benchmarks::MoleculeModel& m,
                             const benchmarks::MoleculeData& data, const std::string& split,
                             uint64_t seed, const std::string& out, bool json,
                             const GlobalOptions& globals) {
  const gnn::PropertyKind kind = *m.card.property_kind;
  const gnn::PropertyResult& result = m.result;
  const std::optional<benchmarks::ChanceLevel> chance =
      benchmarks::property_chance(result.val, kind);
  warn_if_at_chance(chance, globals.quiet);
  const int64_t folds = static_cast<int64_t>(m.cv.test_accuracies.size());
  if (json) {
    nlohmann::ordered_json j = {{"data", data.source},
                                {"task", gnn::to_string(kind)},
                                {"tasks", data.tasks},
                                {"molecules", data.graphs.size()},
                                {"skipped", data.skipped.size()},
                                {"seed", seed},
                                {"train", scores_json(result.train, kind)},
                                {"val", scores_json(result.val, kind)},
                                {"test", scores_json(result.test, kind)},
                                {"split", split},
                                {"best_epoch", result.best_epoch},
                                {"epochs", m.options.epochs},
                                {"arch", gnn::to_string(m.spec.arch)},
                                {"hidden", m.spec.hidden},
                                {"layers", m.spec.num_layers},
                                {"heads", m.spec.heads},
                                {"edge_dim", m.spec.edge_dim},
                                {"mlp_hidden", m.spec.mlp_hidden},
                                {"readout", gnn::to_string(m.spec.readout)},
                                {"seconds", result.seconds},
                                {"out", out}};
    if (folds > 0) j["cv"] = cv_json(m.cv);
    if (!m.card.class_names.empty()) j["class_names"] = m.card.class_names;
    add_chance_fields(j, chance);
    std::cout << j.dump() << "\n";
    return;
  }
  const bool binary = kind == gnn::PropertyKind::kBinary;
  const char* metric = binary ? "ROC-AUC" : "RMSE";
  std::printf("trained a %lld-layer %s on %s (%zu molecules, %zu task%s, %s) in %.1f s\n",
              static_cast<long long>(m.spec.num_layers), arch_label(m.spec.arch),
              data.source.c_str(), data.graphs.size(), data.tasks.size(),
              data.tasks.size() == 1 ? "" : "s", gnn::to_string(kind).c_str(), result.seconds);
  std::printf("%s: train %.4f  val %.4f  test %.4f  (best epoch %lld of %lld)\n", metric,
              result.train.score, result.val.score, result.test.score,
              static_cast<long long>(result.best_epoch), static_cast<long long>(m.options.epochs));
  if (binary) {
    std::printf("accuracy: train %.4f  val %.4f  test %.4f\n", result.train.accuracy,
                result.val.accuracy, result.test.accuracy);
  }
  if (m.card.class_names.size() == 2) {
    std::printf("classes: 0 = '%s', 1 = '%s'\n", m.card.class_names[0].c_str(),
                m.card.class_names[1].c_str());
  }
  if (folds > 0) {
    std::printf(
        "%lld-fold cross-validation: test accuracy %.4f +- %.4f, test ROC-AUC %.4f +- "
        "%.4f, val accuracy %.4f\n",
        static_cast<long long>(folds), m.cv.test_accuracy.mean, m.cv.test_accuracy.sd,
        m.cv.test_auc.mean, m.cv.test_auc.sd, m.cv.val_accuracy.mean);
  }
  if (data.tasks.size() > 1) {
    for (size_t k = 0; k < data.tasks.size(); ++k) {
      std::printf("  %-16s test %s %.4f\n", data.tasks[k].c_str(), metric,
                  result.test.task_scores[k]);
    }
  }
  std::printf("saved %s\n", out.c_str());
}
#endif

}  // namespace gnnx::tools
