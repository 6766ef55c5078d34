#include "cli/train_defaults.h"

#include <gnnx/benchmarks/catalogue.h>

#include <algorithm>
#include <cstdio>

namespace gnnx::tools {
namespace {

using Flags = std::vector<std::pair<std::string, std::string>>;

#ifdef GNNX_WITH_RDKIT
constexpr bool kWithRdkit = true;  // --data and --mlp-hidden exist
#else
constexpr bool kWithRdkit = false;
#endif

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

/// A labelled row of flags.
struct DefaultsRow {
  std::string label;
  Flags flags;
};

/// `label` then the flags, wrapped at 100 columns under the first flag.
std::string wrapped(const std::string& label, const Flags& flags) {
  constexpr size_t kWidth = 100;
  constexpr size_t kIndent = 22;
  std::string out;
  std::string line = "  " + label;
  line.resize(std::max(kIndent, line.size() + 1), ' ');
  bool fresh = true;  // no flag on `line` yet
  for (const auto& [flag, value] : flags) {
    const std::string word = flag + " " + value;
    if (!fresh && line.size() + 1 + word.size() > kWidth) {
      out += line + "\n";
      line.assign(kIndent, ' ');
      fresh = true;
    }
    if (!fresh) line += ' ';
    line += word;
    fresh = false;
  }
  line.erase(line.find_last_not_of(' ') + 1);
  return out + line + "\n";
}

}  // namespace

Flags setting_flags(const benchmarks::TrainSettings& s, gnn::Task task, bool with_mlp_hidden) {
  Flags f = {{"--arch", gnn::to_string(s.arch)},
             {"--hidden", std::to_string(s.hidden)},
             {"--layers", std::to_string(s.layers)}};
  if (s.arch == gnn::Architecture::kGat) f.emplace_back("--heads", std::to_string(s.heads));
  f.emplace_back("--epochs", std::to_string(s.epochs));
  f.emplace_back("--lr", number(s.lr));
  f.emplace_back("--weight-decay", number(s.weight_decay));
  f.emplace_back("--dropout", number(s.dropout));
  f.emplace_back("--edge-dropout", number(s.edge_dropout));
  f.emplace_back("--bias-init", number(s.bias_init));
  if (s.arch == gnn::Architecture::kGcn) {
    f.emplace_back("--aggregation", gnn::to_string(s.aggregation));
    f.emplace_back("--embedding-norm", gnn::to_string(s.embedding_norm));
  }
  if (task == gnn::Task::kGraphClassification) {
    f.emplace_back("--readout", gnn::to_string(s.readout));
    f.emplace_back("--batch-size", std::to_string(s.batch_size));
  }
  if (with_mlp_hidden) {
    // -1 stands for "as wide as --hidden" (TrainSettings::mlp_hidden): show the width.
    f.emplace_back("--mlp-hidden", std::to_string(s.mlp_hidden < 0 ? s.hidden : s.mlp_hidden));
  }
  return f;
}

std::string training_defaults_help() {
  std::vector<DefaultsRow> rows;
  for (const benchmarks::Benchmark& b : benchmarks::catalogue()) {
    if (b.family != benchmarks::Family::kSynthetic) continue;
    rows.push_back({b.name, setting_flags(b.training, b.task)});
  }
  // Your own graphs: a node task (--edges) trains as BA-Shapes (said below); a graph task
  // (--graph) and molecules (--data) with the molecule settings (user_train_settings).
  rows.push_back({"--graph", setting_flags(benchmarks::molecule_train_settings(),
                                           gnn::Task::kGraphClassification,
                                           /*with_mlp_hidden=*/kWithRdkit)});
  if (kWithRdkit) {
    Flags mutag =
        setting_flags(benchmarks::tu_molecule_train_settings(), gnn::Task::kGraphClassification,
                      /*with_mlp_hidden=*/true);
    mutag.emplace_back("--split", "stratified");
    rows.push_back({"--data MUTAG", mutag});
    rows.push_back({"--data Mutagenicity",
                    setting_flags(benchmarks::mutagenicity_train_settings(),
                                  gnn::Task::kGraphClassification, /*with_mlp_hidden=*/true)});
  }

  // The flags whose value is the same on every row are said once.
  Flags shared;
  for (const auto& flag : rows.front().flags) {
    const bool everywhere = std::all_of(rows.begin(), rows.end(), [&](const DefaultsRow& r) {
      return std::find(r.flags.begin(), r.flags.end(), flag) != r.flags.end();
    });
    if (everywhere) shared.push_back(flag);
  }
  std::string out = "Defaults of the flags left out, per data set:\n";
  if (!shared.empty()) out += wrapped("every one", shared);
  for (DefaultsRow& row : rows) {
    Flags own;
    for (const auto& flag : row.flags) {
      if (std::find(shared.begin(), shared.end(), flag) == shared.end()) own.push_back(flag);
    }
    out += wrapped(row.label, own);
  }
  out += kWithRdkit ? "--data (a molecule table) trains as --graph. " : "";
  out +=
      "Your own node task (--edges, --labels) trains as ba-shapes.\n"
      "Why these values: README, \"Accuracy of the trained GCNs\".";
  return out;
}

}  // namespace gnnx::tools
