// XGNN generator training time and result quality on trained classifiers, one CPU thread.
//
// For a MUTAG model (`gnnx train --data .../MUTAG/tudataset`): for each class and each maximum
// size, trains a generator with the reference hyperparameters (explainers/xgnn.h) and the
// default chemistry rules of `gnnx generate` (molecules/xgnn_chemistry.h, learned from the
// training data the model records), and reports the seconds, the distinct graphs returned, how
// many keep every rule and sanitise, their mean target probability, and the fractions with a
// ring, an aromatic ring (perceived) and a nitro group; then the same fractions for MUTAG's own
// molecules of each class. For a BA-2Motifs model (`gnnx train --dataset ba-2motifs`): the same for
// the house class, plus how many of the graphs contain a house (induced, Boost VF2).
//
//   xgnn_bench --mutag M.gnnx [--motifs B.gnnx] [--sizes 6,10,15] [--seed S] [--num N]
//              [--classes 1,0] [--iterations I] [--rollout-invalid skip|end]
// Search diagnostics (actions, rollouts, rule breaks) go to stderr.

#include "guarded_main.h"

#include <ATen/Parallel.h>
#include <gnnx/datasets/synthetic.h>
#include <gnnx/explainers/xgnn.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/model_file.h>
#include <gnnx/io/number.h>
#include <gnnx/io/text.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "cli/xgnn_setup.h"

namespace {

using gnnx::explainers::XgnnOptions;
using gnnx::explainers::XgnnResult;

struct Args {
  std::string mutag, motifs;
  std::vector<int64_t> sizes = {6, 10, 15};
  uint64_t seed = 0;
  int64_t num = 10;
  std::vector<int64_t> classes = {1, 0};  // MUTAG classes
  int64_t iterations = -1;                // -1: XgnnOptions' default
  bool skip_invalid_in_rollouts = XgnnOptions().skip_invalid_in_rollouts;
};

std::vector<int64_t> int_list(const std::string& value, const std::string& flag) {
  std::vector<int64_t> out;
  for (const auto& item : gnnx::io::split_list(value, ',', gnnx::io::EmptyItems::kKeep)) {
    out.push_back(gnnx::io::parse_int64(item, flag));
  }
  return out;
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--mutag") {
      a.mutag = value;
    } else if (flag == "--motifs") {
      a.motifs = value;
    } else if (flag == "--seed") {
      a.seed = gnnx::io::parse_uint64(value, flag);
    } else if (flag == "--num") {
      a.num = gnnx::io::parse_int64(value, flag);
    } else if (flag == "--sizes") {
      a.sizes = int_list(value, flag);
    } else if (flag == "--classes") {
      a.classes = int_list(value, flag);
    } else if (flag == "--iterations") {
      a.iterations = gnnx::io::parse_int64(value, flag);
    } else if (flag == "--rollout-invalid") {
      if (value != "skip" && value != "end") {
        throw gnnx::InputError("--rollout-invalid: skip or end, got '" + value + "'");
      }
      a.skip_invalid_in_rollouts = value == "skip";
    } else {
      throw gnnx::InputError("unknown flag " + flag);
    }
  }
  if (argc % 2 == 0) throw gnnx::InputError("every flag takes a value");
  return a;
}

// Ring, aromatic ring and NO2 columns: fractions, or "-" for plain graphs.
std::string fractions(const gnnx::tools::XgnnTraitFractions& f) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f | %.2f | %.2f", f.ring, f.aromatic_ring, f.nitro);
  return buf;
}

void row(const std::string& data, int64_t cls, int64_t size, const XgnnResult& r, int64_t valid,
         const std::string& traits, const std::string& extra) {
  double mean = 0;
  for (const auto& g : r.graphs) mean += g.probability / static_cast<double>(r.graphs.size());
  std::printf("| %s | %lld | %lld | %zu | %lld/%zu | %.3f | %s | %s | %.1f |\n", data.c_str(),
              static_cast<long long>(cls), static_cast<long long>(size), r.graphs.size(),
              static_cast<long long>(valid), r.graphs.size(), mean, traits.c_str(), extra.c_str(),
              r.seconds);
  std::fflush(stdout);
  // Search diagnostics on stderr: the table on stdout stays the README's.
  std::fprintf(stderr,
               "%s class %lld max %lld: %lld actions (%lld invalid), %lld rollouts (%lld broken, "
               "%lld rollout actions rolled back), %lld graphs scored\n",
               data.c_str(), static_cast<long long>(cls), static_cast<long long>(size),
               static_cast<long long>(r.actions), static_cast<long long>(r.invalid_actions),
               static_cast<long long>(r.rollouts), static_cast<long long>(r.broken_rollouts),
               static_cast<long long>(r.skipped_rollout_actions),
               static_cast<long long>(r.graphs_scored));
}

int run(int argc, char** argv) {
  try {
    const Args args = parse(argc, argv);
    at::set_num_threads(1);
    std::printf(
        "| model | class | max nodes | distinct | valid | mean p | ring | aromatic ring | NO2 | "
        "house | seconds |\n");
    std::printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    XgnnOptions options;
    options.seed = args.seed;
    options.num_results = args.num;
    options.skip_invalid_in_rollouts = args.skip_invalid_in_rollouts;
    if (args.iterations >= 0) options.iterations = args.iterations;
    if (!args.mutag.empty()) {
      const gnnx::gnn::ModelFile file = gnnx::gnn::load_model(args.mutag);
      gnnx::tools::MoleculeSetupOptions molecule;
      molecule.neighbours = 0;
      const gnnx::tools::XgnnSetup s = gnnx::tools::molecule_setup(file, molecule);
      for (int64_t cls : args.classes) {
        for (int64_t size : args.sizes) {
          options.max_nodes = size;
          options.max_steps = gnnx::explainers::default_max_steps(size);
          const XgnnResult r = gnnx::explainers::run_xgnn(*s.model, cls, s.type_names, s.featurizer,
                                                          s.rules, options);
          int64_t valid = 0;
          gnnx::tools::XgnnTraitFractions f;
          for (const auto& g : r.graphs) {
            // Valid: the generator's rules hold (default valences, no hypervalent atom, the
            // chemistry rules) and RDKit sanitises it into a SMILES.
            bool ok = true;
            for (const auto& rule : s.rules) ok = ok && rule(g.graph);
            try {
              const gnnx::tools::XgnnMoleculeReport m = s.describe(g.graph);
              const double share = 1.0 / static_cast<double>(r.graphs.size());
              f.ring += m.ring ? share : 0;
              f.aromatic_ring += m.aromatic_ring ? share : 0;
              f.nitro += m.nitro ? share : 0;
            } catch (const gnnx::InputError&) {
              ok = false;
            }
            valid += ok ? 1 : 0;
          }
          row("MUTAG", cls, size, r, valid, fractions(f), "-");
        }
      }
      // The same fractions in the training molecules of each class (no generator).
      if (s.training) {
        for (int64_t cls : args.classes) {
          const gnnx::tools::XgnnTraitFractions& c = s.training->classes.at(cls);
          std::printf("| MUTAG's molecules (%lld) | %lld | - | - | - | %.3f | %s | - | - |\n",
                      static_cast<long long>(c.molecules), static_cast<long long>(cls),
                      c.mean_probability, fractions(c).c_str());
        }
      }
    }
    if (!args.motifs.empty()) {
      const gnnx::gnn::ModelFile file = gnnx::gnn::load_model(args.motifs);
      const gnnx::tools::XgnnSetup s = gnnx::tools::plain_graph_setup(file, 4);
      const gnnx::gnn::Graph house =
          gnnx::datasets::make_synthetic("ba-2motifs", 0).class_motif.at(0);
      for (int64_t size : args.sizes) {
        options.max_nodes = size;
        options.max_steps = gnnx::explainers::default_max_steps(size);
        const XgnnResult r =
            gnnx::explainers::run_xgnn(*s.model, 0, s.type_names, s.featurizer, s.rules, options);
        int64_t with_house = 0;
        for (const auto& g : r.graphs) {
          with_house += gnnx::explainers::contains_induced_motif(g.graph, house) ? 1 : 0;
        }
        row("BA-2Motifs", 0, size, r, static_cast<int64_t>(r.graphs.size()), "- | - | -",
            std::to_string(with_house) + "/" + std::to_string(r.graphs.size()));
      }
    }
    return 0;
  } catch (const gnnx::InputError& e) {
    std::fprintf(stderr, "xgnn_bench: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "xgnn_bench: %s\n", e.what());
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) { return gnnx::bench::guarded_main("xgnn_bench", argc, argv, run); }
