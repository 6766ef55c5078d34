// `gnnx generate`: XGNN model-level explanations — trains a graph generator for one class of a
// graph classifier and writes the best distinct graphs it builds (molecules: canonical SMILES
// and an RDKit grid picture; plain graphs: a Graphviz picture), with the model's probabilities.

#include <gnnx/explainers/xgnn.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/model_file.h>
#include <gnnx/io/atomic_file.h>
#include <gnnx/io/text.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "cli/progress.h"
#include "cli/xgnn_setup.h"
#include "commands/commands.h"

namespace gnnx::tools {
namespace {

struct GenerateArgs {
  std::string model;
  int64_t target_class = -1;
  std::string out;
  bool json = false;
  std::string node_types;         // molecules: comma-separated elements (default: the featurizer's)
  int64_t max_degree = 4;         // plain graphs
  bool max_degree_given = false;  // --max-degree on the command line (plain graphs only)
  std::string rollout_invalid = "skip";  // what a rollout does with a rule-breaking action
  std::vector<std::string> no_rules;     // molecules: chemistry rules switched off
  std::string data;                      // molecules: the training data (default: recorded)
  int64_t neighbours = 3;                // molecules: nearest training molecules per result
  bool molecule_flags_given = false;     // --no-rule, --data or --neighbours given
  explainers::XgnnOptions options;
};

XgnnSetup setup_for(const gnn::ModelFile& file, const GenerateArgs& args) {
  // A flag for the other kind of model would be ignored: refused, so that nobody believes it
  // shaped the graphs (issue 20's "a flag that is not read is refused").
  if (is_molecule_model(file) && args.max_degree_given) {
    throw InputError("generate: --max-degree applies to plain-graph models; '" + args.model +
                     "' is a molecule model (valence rules bound each atom's bonds)");
  }
  if (!is_molecule_model(file) && !args.node_types.empty()) {
    throw InputError("generate: --node-types applies to molecule models; '" + args.model +
                     "' is a plain-graph model (its node types are its feature columns)");
  }
  if (!is_molecule_model(file) && args.molecule_flags_given) {
    throw InputError("generate: --no-rule, --data and --neighbours apply to molecule models; '" +
                     args.model + "' is a plain-graph model");
  }
  if (is_molecule_model(file)) {
#ifdef GNNX_WITH_RDKIT
    MoleculeSetupOptions molecule;
    molecule.node_types = io::split_list(args.node_types);
    for (const auto& item : args.no_rules) {
      for (auto& name : io::split_list(item)) molecule.disabled_rules.push_back(std::move(name));
    }
    molecule.data = args.data;
    molecule.neighbours = args.neighbours;
    return molecule_setup(file, molecule);
#else
    throw InputError("generate: '" + args.model +
                     "' is a molecule model; this gnnx was built "
                     "without RDKit (GNNX_WITH_RDKIT=OFF)");
#endif
  }
  return plain_graph_setup(file, args.max_degree);
}

nlohmann::ordered_json fractions_json(const XgnnTraitFractions& f) {
  nlohmann::ordered_json j = {{"molecules", f.molecules},
                              {"ring", f.ring},
                              {"aromatic_ring", f.aromatic_ring},
                              {"nitro", f.nitro}};
  if (!std::isnan(f.mean_probability)) j["mean_probability"] = f.mean_probability;
  return j;
}

nlohmann::ordered_json graph_json(const explainers::ScoredGraph& scored, const XgnnSetup& setup,
                                  const XgnnMoleculeReport* report) {
  nlohmann::ordered_json nodes = nlohmann::ordered_json::array();
  for (int64_t t : scored.graph.types) nodes.push_back(setup.type_names[t]);
  nlohmann::ordered_json edges = nlohmann::ordered_json::array();
  for (const auto& e : scored.graph.edges) edges.push_back({e[0], e[1]});
  nlohmann::ordered_json j;
  j["probability"] = scored.probability;
  if (report) {
    j["smiles"] = report->smiles;
    j["skeleton_smiles"] = report->skeleton_smiles;
    j["ring"] = report->ring;
    j["aromatic_ring"] = report->aromatic_ring;
    j["nitro"] = report->nitro;
    if (setup.training) {
      nlohmann::ordered_json nearest = nlohmann::ordered_json::array();
      for (const auto& n : report->nearest) {
        nearest.push_back({{"index", n.index},
                           {"similarity", n.similarity},
                           {"label", n.label},
                           {"smiles", n.smiles}});
      }
      j["nearest"] = nearest;
    }
  }
  j["nodes"] = nodes;
  j["edges"] = edges;
  return j;
}

// The generated molecules' traits, as fractions of the results.
XgnnTraitFractions result_fractions(const std::vector<XgnnMoleculeReport>& reports) {
  XgnnTraitFractions f;
  f.molecules = static_cast<int64_t>(reports.size());
  for (const auto& r : reports) {
    f.ring += r.ring ? 1 : 0;
    f.aromatic_ring += r.aromatic_ring ? 1 : 0;
    f.nitro += r.nitro ? 1 : 0;
  }
  if (f.molecules > 0) {
    const auto n = static_cast<double>(f.molecules);
    f.ring /= n;
    f.aromatic_ring /= n;
    f.nitro /= n;
  }
  return f;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

void run(GenerateArgs args, const GlobalOptions& globals) {
  io::check_writable_path(args.out);
  const gnn::ModelFile file = gnn::load_model(args.model);
  const XgnnSetup setup = setup_for(file, args);
  setup.check_output(args.out);

  ProgressBar bar("xgnn", args.options.iterations, /*enabled=*/!globals.quiet);
  if (bar.active()) {
    args.options.on_iteration = [&bar](int64_t done, int64_t, double reward) {
      char status[48];
      std::snprintf(status, sizeof status, "reward %.3f", reward);
      bar.update(done, status);
    };
  }
  const explainers::XgnnResult result =
      explainers::run_xgnn(*setup.model, args.target_class, setup.type_names, setup.featurizer,
                           setup.rules, args.options);
  bar.finish();
  if (result.graphs.empty()) {
    throw Error("generate: the generator built no valid graph with " +
                std::to_string(args.options.max_nodes) + " nodes (try more --iterations)");
  }
  try {
    setup.draw(result.graphs, args.out);
  } catch (const InputError&) {
    throw;
  } catch (const Error& e) {
    throw InputError(e.what());  // an output path that cannot be written is the user's input
  }

  double mean = 0;
  for (const auto& g : result.graphs) mean += g.probability;
  mean /= static_cast<double>(result.graphs.size());
  std::vector<XgnnMoleculeReport> reports;
  if (setup.describe) {
    for (const auto& g : result.graphs) reports.push_back(setup.describe(g.graph));
  }
  if (args.json) {
    nlohmann::ordered_json graphs = nlohmann::ordered_json::array();
    for (size_t i = 0; i < result.graphs.size(); ++i) {
      graphs.push_back(
          graph_json(result.graphs[i], setup, reports.empty() ? nullptr : &reports[i]));
    }
    nlohmann::ordered_json j = {{"model", args.model},
                                {"class", args.target_class},
                                {"max_nodes", args.options.max_nodes},
                                {"seed", args.options.seed},
                                {"iterations", args.options.iterations},
                                {"node_types", setup.type_names},
                                {"graphs", graphs},
                                {"distinct", result.graphs.size()},
                                {"mean_probability", mean},
                                {"actions", result.actions},
                                {"invalid_actions", result.invalid_actions},
                                {"graphs_scored", result.graphs_scored},
                                {"rollouts", result.rollouts},
                                {"broken_rollouts", result.broken_rollouts},
                                {"skipped_rollout_actions", result.skipped_rollout_actions},
                                {"seconds", result.seconds},
                                {"out", args.out}};
    if (setup.molecular) {
      j["chem_rules"] = setup.chem_rules;
      j["fractions"] = fractions_json(result_fractions(reports));
    }
    if (setup.training) {
      const XgnnTrainingSummary& t = *setup.training;
      nlohmann::ordered_json classes = nlohmann::ordered_json::array();
      for (const auto& c : t.classes) classes.push_back(fractions_json(c));
      j["training"] = {{"source", t.source},
                       {"molecules", t.molecules},
                       {"unseen_bonds", t.unseen_bonds},
                       {"ring_sizes", t.ring_sizes},
                       {"with_o_o", t.with_o_o},
                       {"with_n_o_o", t.with_n_o_o},
                       {"with_fused_three_ring", t.with_fused_three_ring},
                       {"max_element_counts", t.max_element_count},
                       {"class_fractions", classes}};
    }
    std::cout << j.dump() << "\n";
    return;
  }
  std::printf("XGNN: class %lld, max %lld nodes, %zu distinct graphs, mean p = %.4f (%.1f s)\n",
              static_cast<long long>(args.target_class),
              static_cast<long long>(args.options.max_nodes), result.graphs.size(), mean,
              result.seconds);
  if (setup.molecular) {
    std::printf("chemistry rules: %s\n",
                setup.chem_rules.empty() ? "none" : join(setup.chem_rules, ", ").c_str());
  }
  if (setup.training) {
    const XgnnTrainingSummary& t = *setup.training;
    std::printf("training data %s: %lld molecules; never bonded: %s; ring sizes:", t.source.c_str(),
                static_cast<long long>(t.molecules),
                t.unseen_bonds.empty() ? "-" : join(t.unseen_bonds, " ").c_str());
    for (int64_t r : t.ring_sizes) std::printf(" %lld", static_cast<long long>(r));
    std::printf("; most atoms per molecule:");
    for (const auto& [element, count] : t.max_element_count) {
      std::printf(" %s %lld", element.c_str(), static_cast<long long>(count));
    }
    std::printf("\n");
  }
  for (size_t i = 0; i < result.graphs.size(); ++i) {
    const auto& g = result.graphs[i];
    std::printf("  p = %.4f  %s\n", g.probability,
                !reports.empty() ? reports[i].smiles.c_str()
                                 : (std::to_string(g.graph.num_nodes()) + " nodes, " +
                                    std::to_string(g.graph.num_edges()) + " edges")
                                       .c_str());
    if (!reports.empty() && !reports[i].nearest.empty()) {
      std::printf("      nearest training molecules:");
      for (const auto& n : reports[i].nearest) {
        std::printf(" %.2f (#%lld, class %lld) %s;", n.similarity,
                    static_cast<long long>(n.index + 1), static_cast<long long>(n.label),
                    n.smiles.c_str());
      }
      std::printf("\n");
    }
  }
  if (!reports.empty()) {
    const XgnnTraitFractions f = result_fractions(reports);
    std::printf("generated: ring %.2f, aromatic ring %.2f, NO2 %.2f", f.ring, f.aromatic_ring,
                f.nitro);
    if (setup.training) {
      const XgnnTraitFractions& c =
          setup.training->classes.at(static_cast<size_t>(args.target_class));
      std::printf(
          "; training molecules of class %lld: ring %.2f, aromatic ring %.2f, NO2 %.2f, "
          "mean p %.3f",
          static_cast<long long>(args.target_class), c.ring, c.aromatic_ring, c.nitro,
          c.mean_probability);
    }
    std::printf("\n");
  }
  std::printf("saved %s\n", args.out.c_str());
}

}  // namespace

void add_generate_command(CLI::App& app, const GlobalOptions& globals) {
  auto args = std::make_shared<GenerateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "generate", "XGNN: generate the graphs a graph classifier finds most typical of a class");
  cmd->add_option("--model", args->model, "Model file (graph classifier)")->required();
  cmd->add_option("--class", args->target_class, "Class to explain")->required();
  cmd->add_option("--out", args->out,
                  "Picture of the best graphs: molecules .png/.svg (RDKit grid), graphs "
                  ".svg/.png/.pdf/.dot (Graphviz)")
      ->required();
  cmd->add_option("--max-nodes", args->options.max_nodes, "Largest graph built")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{2}, int64_t{100}));
  cmd->add_option("--num", args->options.num_results, "Distinct graphs returned")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{1000}));
  cmd->add_option("--seed", args->options.seed, "Seed of the policy and its actions")
      ->capture_default_str();
  cmd->add_option("--iterations", args->options.iterations, "Training episodes")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{100000}));
  CLI::Option* max_steps = cmd->add_option(
      "--max-steps", args->options.max_steps,
      "Actions per episode (default: max(30, 4 x --max-nodes); the reference's 30 is for 6 "
      "nodes, and a 15-atom molecule rarely grows in 30 actions when most are invalid)");
  max_steps->check(CLI::Range(int64_t{1}, int64_t{10000}));
  cmd->add_option("--rollouts", args->options.rollouts, "Monte-Carlo rollouts per action")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{1000}));
  cmd->add_option("--rollout-invalid", args->rollout_invalid,
                  "A rule-breaking action in a rollout: skip (roll it back, go on) or end (the "
                  "reference code: the rollout scores the rollout penalty)")
      ->capture_default_str()
      ->check(CLI::IsMember({"skip", "end"}));
  cmd->add_option("--min-nodes", args->options.min_nodes,
                  "Smallest graph returned (default: --max-nodes)")
      ->check(CLI::Range(int64_t{0}, int64_t{100}));
  cmd->add_option("--node-types", args->node_types,
                  "Molecules: candidate elements, comma-separated (default: the model's)");
  CLI::Option* max_degree =
      cmd->add_option("--max-degree", args->max_degree, "Plain graphs: largest node degree");
  max_degree->capture_default_str()->check(CLI::Range(int64_t{1}, int64_t{1000}));
  CLI::Option* no_rule = cmd->add_option(
      "--no-rule", args->no_rules,
      "Molecules: switch off chemistry rules, comma-separated or repeated: seen-bonds (no bond "
      "between elements the training data never bonds), o-o, n-o-o, fused-3-ring, ring-sizes "
      "(each forbidden unless the training data has it), element-counts (no element more often "
      "than in any training molecule), aromatic (perceive aromatic rings and "
      "nitro groups in the output), or all");
  CLI::Option* data = cmd->add_option(
      "--data", args->data,
      "Molecules: the model's training data, for the chemistry rules and the nearest training "
      "molecules (default: the path the model file records)");
  CLI::Option* neighbours =
      cmd->add_option("--neighbours", args->neighbours,
                      "Molecules: nearest training molecules (Morgan fingerprint Tanimoto) "
                      "reported per generated one; 0 = none");
  neighbours->capture_default_str()->check(CLI::Range(int64_t{0}, int64_t{1000}));
  cmd->add_flag("--json", args->json, "Print the graphs as one JSON object");
  cmd->callback([args, max_steps, max_degree, no_rule, data, neighbours, &globals] {
    args->max_degree_given = max_degree->count() > 0;
    args->molecule_flags_given =
        no_rule->count() > 0 || data->count() > 0 || neighbours->count() > 0;
    if (max_steps->count() == 0) {
      args->options.max_steps = explainers::default_max_steps(args->options.max_nodes);
    }
    args->options.skip_invalid_in_rollouts = args->rollout_invalid == "skip";
    run(*args, globals);
  });
}

}  // namespace gnnx::tools
