// mol_bench's Python side (see mol_python.h).

#include "mol_python.h"

#include <gnnx/gnn/error.h>
#include <gnnx/gnn/model_file.h>
#include <gnnx/gnn/property_training.h>
#include <gnnx/molecules/featurize.h>
#include <gnnx/molecules/parse.h>
#include <torch/types.h>
#include <nlohmann/json.hpp>

#include <GraphMol/ROMol.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>

namespace gnnx::bench {

void write_pipeline_weights(const std::string& model_path, const std::vector<std::string>& smiles,
                            const std::string& json_path) {
  const gnn::ModelFile file = gnn::load_model(model_path);
  const gnn::ModelSpec& spec = file.model->spec();
  if (spec.arch != gnn::Architecture::kGcn || spec.task != gnn::Task::kGraphClassification ||
      spec.aggregation != gnn::Aggregation::kSymmetric ||
      spec.embedding_norm != gnn::EmbeddingNorm::kNone || spec.readout_concat) {
    throw InputError("the Python pipeline rebuilds plain GCN graph classifiers only ('" +
                     model_path + "' is a " + gnn::to_string(spec.arch) + ")");
  }
  const auto kind = file.card.property_kind.value_or(gnn::PropertyKind::kBinary);
  const auto view = gnn::single_task_view(*file.model, 0, kind);
  const auto featurizer =
      molecules::FeaturizerOptions::from_metadata(file.card.featurisation.options);
  if (featurizer.explicit_hydrogens) {
    throw InputError("the Python pipeline does not add hydrogens ('" + model_path + "')");
  }
  nlohmann::json out;
  out["spec"] = {
      {"arch", "gcn"}, {"num_layers", spec.num_layers}, {"readout", gnn::to_string(spec.readout)}};
  out["featurizer"] = {{"elements", featurizer.elements},
                       {"other_element", featurizer.other_element},
                       {"chemistry", featurizer.chemistry}};
  nlohmann::json params = nlohmann::json::object();
  for (const auto& p : view->named_parameters()) {
    const torch::Tensor t = p.value().detach().to(torch::kDouble).contiguous();
    const double* d = t.data_ptr<double>();
    params[p.key()] = {{"shape", t.sizes().vec()}, {"data", std::vector<double>(d, d + t.numel())}};
  }
  out["params"] = params;
  // gnnx's logits on the first molecules, which the script must reproduce.
  std::vector<std::string> check_smiles;
  std::vector<gnn::Graph> graphs;
  for (const std::string& s : smiles) {
    if (graphs.size() == 5) break;
    const auto mol = molecules::smiles_to_mol(s);
    graphs.push_back(molecules::featurize(*mol, featurizer).graph);
    check_smiles.push_back(s);
  }
  const torch::Tensor logits = gnn::predict_graphs(*view, graphs).to(torch::kDouble).contiguous();
  nlohmann::json rows = nlohmann::json::array();
  for (int64_t g = 0; g < logits.size(0); ++g) {
    const double* d = logits[g].data_ptr<double>();
    rows.push_back(std::vector<double>(d, d + logits.size(1)));
  }
  out["check"] = {{"smiles", check_smiles}, {"logits", rows}};
  std::ofstream f(json_path);
  f << out.dump();
  if (!f) throw Error("cannot write '" + json_path + "'");
}

namespace {

/// Runs `command` and returns its stdout and exit status.
std::pair<std::string, int> capture(const std::string& command) {
  std::string text;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {"", -1};
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) text.append(buffer.data(), n);
  return {text, pclose(pipe)};
}

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

PythonRun run_python_pipeline(const std::string& python, const std::string& script,
                              const std::string& weights, const std::string& data, int repeats,
                              int threads, bool png) {
  PythonRun run;
  const auto probe = capture(quoted(python) + " -c 'import rdkit, torch' 2>&1");
  if (probe.second != 0) {
    run.why_not = python + " cannot import rdkit and torch (Debian: python3-rdkit, python3-torch)";
    return run;
  }
  const auto result =
      capture(quoted(python) + " " + quoted(script) + " --weights " + quoted(weights) + " --data " +
              quoted(data) + " --repeats " + std::to_string(repeats) + " --threads " +
              std::to_string(threads) + (png ? "" : " --no-png"));
  // The JSON line is the last line that starts with '{'.
  size_t line = result.first.rfind("\n{");
  line = line == std::string::npos ? (result.first.rfind('{', 0) == 0 ? 0 : line) : line + 1;
  if (result.second != 0 || line == std::string::npos) {
    run.why_not = "the script failed (exit " + std::to_string(result.second) + ")";
    return run;
  }
  const auto j = nlohmann::json::parse(result.first.substr(line), nullptr, false);
  if (j.is_discarded() || !j.contains("stages")) {
    run.why_not = "the script printed no result";
    return run;
  }
  run.ran = true;
  run.gcn = j.value("gcn", "");
  run.max_logit_diff = j.value("max_logit_diff", 0.0);
  for (const auto& s : j["stages"]) {
    run.stages.push_back({s.value("name", ""), s.value("molecules", 0.0), s.value("seconds", 0.0),
                          s.value("per_second", 0.0)});
  }
  return run;
}

}  // namespace gnnx::bench
