// `gnnx datasets`: every benchmark `gnnx evaluate --dataset` accepts, from the benchmark
// catalogue (benchmarks::catalogue(), the list find_benchmark() searches): the synthetic sets
// with their sizes (datasets::synthetic_catalog()) and, in RDKit builds, the molecule sets with
// the file each reads under the shared data folder. Nothing is generated or read, so the
// listing is instant; a molecule set's size is only known once its file is read (its
// description gives it).

#include "commands/commands.h"

#include <gnnx/benchmarks/catalogue.h>
#include <gnnx/benchmarks/shared_data.h>
#include <gnnx/datasets/synthetic.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gnnx::tools {
namespace {

using Json = nlohmann::ordered_json;

struct DatasetsArgs {
  bool json = false;
  std::string data_dir;  // the shared data folder (default: shared_data_dir's rule)
};

/// A catalogue row as listed: the benchmark, its generator's sizes (synthetic sets only) and
/// where its file is (molecule sets only).
struct Row {
  const benchmarks::Benchmark* benchmark = nullptr;
  std::optional<datasets::DatasetInfo> sizes;
  std::string data_path;  // empty for synthetic sets
  bool data_found = false;
};

std::vector<Row> rows(const DatasetsArgs& args) {
  const std::vector<datasets::DatasetInfo> synthetic = datasets::synthetic_catalog();
  std::vector<Row> out;
  for (const benchmarks::Benchmark& b : benchmarks::catalogue()) {
    Row row;
    row.benchmark = &b;
    for (const datasets::DatasetInfo& info : synthetic) {
      if (info.name == b.name) row.sizes = info;
    }
    if (!b.data_file.empty()) {
      row.data_path = benchmarks::shared_data_dir(args.data_dir) + "/" + b.data_file;
      std::error_code ec;
      row.data_found = std::filesystem::exists(row.data_path, ec);
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

/// A size, or null when it is not known without reading the data.
Json known_size(const std::optional<datasets::DatasetInfo>& sizes,
                int64_t datasets::DatasetInfo::*field) {
  return sizes ? Json((*sizes).*field) : Json();
}

void print_json(const std::vector<Row>& listed) {
  Json out = Json::array();
  for (const Row& row : listed) {
    const benchmarks::Benchmark& b = *row.benchmark;
    Json j = {{"name", b.name},
              {"task", gnn::to_string(b.task)},
              {"graphs", known_size(row.sizes, &datasets::DatasetInfo::num_graphs)},
              {"nodes", known_size(row.sizes, &datasets::DatasetInfo::num_nodes)},
              {"features", known_size(row.sizes, &datasets::DatasetInfo::num_features)},
              {"classes",
               row.sizes ? row.sizes->num_classes : static_cast<int64_t>(b.class_names.size())},
              {"description", b.description},
              {"source", b.source},
              {"family", benchmarks::to_string(b.family)},
              {"class_names", b.class_names},
              {"targets", b.targets},
              {"scoring", b.scoring},
              // `gnnx train --dataset` takes the synthetic sets; a molecule model trains with
              // `gnnx train --data FILE`, or is trained by `gnnx evaluate` itself.
              {"train_dataset", b.family == benchmarks::Family::kSynthetic}};
    if (!row.data_path.empty()) {
      j["data"] = row.data_path;
      j["data_found"] = row.data_found;
    }
    out.push_back(std::move(j));
  }
  std::cout << out.dump(2) << "\n";
}

std::string cell(const std::optional<datasets::DatasetInfo>& sizes,
                 int64_t datasets::DatasetInfo::*field) {
  return sizes ? std::to_string((*sizes).*field) : "-";
}

void print_table(const std::vector<Row>& listed) {
  std::printf("%-18s %-9s %-6s %6s %6s %8s %7s  %s\n", "NAME", "FAMILY", "TASK", "GRAPHS", "NODES",
              "FEATURES", "CLASSES", "SOURCE");
  bool missing = false;
  for (const Row& row : listed) {
    const benchmarks::Benchmark& b = *row.benchmark;
    std::printf("%-18s %-9s %-6s %6s %6s %8s %7zu  %s\n", b.name.c_str(),
                benchmarks::to_string(b.family).c_str(), gnn::to_string(b.task).c_str(),
                cell(row.sizes, &datasets::DatasetInfo::num_graphs).c_str(),
                cell(row.sizes, &datasets::DatasetInfo::num_nodes).c_str(),
                cell(row.sizes, &datasets::DatasetInfo::num_features).c_str(), b.class_names.size(),
                b.source.c_str());
    std::printf("%-18s classes: %s\n", "", joined(b.class_names).c_str());
    if (!row.data_path.empty()) {
      std::printf("%-18s %s; data: %s%s\n", "", b.description.c_str(), row.data_path.c_str(),
                  row.data_found ? "" : " (not found)");
      missing = missing || !row.data_found;
    }
  }
  std::printf(
      "(NODES is per graph; '-': known once the molecule file is read. Every name works with\n"
      " gnnx evaluate --dataset; gnnx train --dataset takes the synthetic ones)\n");
  if (missing) {
    std::printf(
        "(molecule sets read the shared data folder: --data-dir DIR, else $GNNX_SHARED_DATA, "
        "else ../shared/data)\n");
  }
}

void run(const DatasetsArgs& args) {
  const std::vector<Row> listed = rows(args);
  if (args.json) return print_json(listed);
  print_table(listed);
}

}  // namespace

void add_datasets_command(CLI::App& app, const GlobalOptions& /*globals*/) {
  auto args = std::make_shared<DatasetsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "datasets", "List the benchmarks gnnx evaluate --dataset accepts (synthetic and molecule)");
  cmd->footer(
      "Columns: FAMILY synthetic (generated, gnnx train --dataset too) or molecule (read from "
      "the shared data folder); TASK node or graph classification; GRAPHS, NODES (per graph), "
      "FEATURES (node feature width); CLASSES and their names; SOURCE the paper.");
  cmd->add_flag("--json", args->json, "Print a JSON array instead of a table");
#ifdef GNNX_WITH_RDKIT
  cmd->add_option("--data-dir", args->data_dir,
                  "Where to look for the molecule sets' files (default: $GNNX_SHARED_DATA, else "
                  "../shared/data)")
      // A folder the user names must exist; listing every set as "not found" would hide the typo.
      ->check(CLI::ExistingDirectory);
#endif
  cmd->callback([args] { run(*args); });
}

}  // namespace gnnx::tools
