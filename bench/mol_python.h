#pragma once
// mol_bench's Python side (issue 19): the weights the Python pipeline (bench/mol_pipeline.py)
// loads, and one run of that script with its stage rates read back.

#include <string>
#include <vector>

namespace gnnx::bench {

/// Writes `model_path`'s single-task view (gnn::single_task_view of task 0: a binary task's two
/// logits [-z/2, z/2], as MoleculeExplainer explains it) to `json_path` as mol_pipeline.py reads
/// it: "spec" (arch, num_layers, readout), "featurizer", "params" (name -> shape, data) and
/// "check" (the first few SMILES of `smiles` with gnnx's logits, which the script reproduces).
/// Throws InputError for a model the script cannot rebuild (not a GCN graph classifier with the
/// symmetric aggregation and no embedding norm, or a readout over concatenated layers).
void write_pipeline_weights(const std::string& model_path, const std::vector<std::string>& smiles,
                            const std::string& json_path);

struct PythonStage {
  std::string name;
  double molecules = 0, seconds = 0, per_second = 0;
};
struct PythonRun {
  bool ran = false;
  std::string why_not;  ///< when !ran: the interpreter or rdkit/torch missing, or the failure
  std::string gcn;      ///< "torch_geometric.GCNConv" or "plain torch, ..." (PyG missing)
  double max_logit_diff = 0;
  std::vector<PythonStage> stages;  ///< parse+featurise, + predict, + explain, + PNG
};

/// Runs `python script --weights W --data D --repeats R --threads T` (and --no-png unless
/// `png`) and parses its JSON line. Never throws for a missing interpreter or module: says so in
/// why_not.
PythonRun run_python_pipeline(const std::string& python, const std::string& script,
                              const std::string& weights, const std::string& data, int repeats,
                              int threads, bool png = true);

}  // namespace gnnx::bench
