// Molecule pipeline throughput over a molecule file (BBBP: 2050 records): molecules per second
// for each stage stack, all in one run so that the ratios are fair on a busy machine:
//
//   parse+featurise                       the floor: RDKit parsing and gnnx featurisation
//   + predict                             the model's outputs, batched
//   + explain (saliency / grad-cam)       predict + explain + explanation fragment, batched
//   + explain (...) + PNG                 ... and a 600x450 MolDraw2D/Cairo PNG per molecule
//   + explain (gnnexplainer, 100 steps)   the same with GNNExplainer's mask optimisation
//   + explain (gnnexplainer) + PNG
//
// Every row starts from the file (parse+featurise included), so a row's rate is what a pipeline
// doing that much gets. Molecules are explained --batch at a time: one disjoint union of their
// graphs per forward/backward pass, not one tiny graph at a time. --threads N gives the batches
// and the drawings to N worker threads (gnn/threads.h), LibTorch's own ops on one thread each,
// as `gnnx --threads N explain-mol` does.
//
// Then, in the same run, the Python pipeline (bench/mol_pipeline.py: RDKit + a torch GCN with the
// same weights + autograd saliency + one RDKit Cairo PNG per molecule, one molecule at a time)
// over the same file, and the gnnx / Python ratio of each stage (issue 19, item 1). Without a
// Python that imports rdkit and torch the ratios are left out and the reason printed.
//
//   mol_bench --model bbbp.gnnx [--data BBBP.csv] [--threads N] [--batch B] [--repeats R]
//             [--python PYTHON | --no-python] [--no-gnnexplainer] [--no-png]
//
// --no-png leaves out the PNG rows (and the Python pipeline's PNG stage): the prediction and
// explanation rows alone, in a tenth of the time.
//
// Each row is the best of --repeats runs (default 3; the floor is the fastest, the noise of
// a shared machine only ever slows a run down); the Python stages too.

#include "guarded_main.h"
#include "mol_python.h"

#include <ATen/Parallel.h>
#include <GraphMol/ROMol.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/threads.h>
#include <gnnx/molecules/featurize.h>
#include <gnnx/molecules/molecule_explainer.h>
#include <gnnx/molecules/readers.h>

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace {

using gnnx::molecules::MoleculeSet;
using gnnx::molecules::MolGraph;

struct Args {
  std::string model, data;
  int threads = static_cast<int>(std::thread::hardware_concurrency());
  int64_t batch = 64;
  int repeats = 3;
  std::string python = GNNX_BENCH_PYTHON;  // "" = no Python pipeline
  bool gnnexplainer = true;
  bool png = true;
};

double seconds_of(const std::function<void()>& work) {
  const auto t0 = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// Parse + featurise: the file read with RDKit, every parsed molecule featurised.
std::vector<MolGraph> parse_and_featurize(const Args& args,
                                          const gnnx::molecules::FeaturizerOptions& featurizer,
                                          MoleculeSet& set) {
  gnnx::molecules::ReadOptions read;
  set = gnnx::molecules::read_molecules(args.data, read);
  std::vector<MolGraph> graphs;
  graphs.reserve(set.records.size());
  for (const auto& r : set.records)
    graphs.push_back(gnnx::molecules::featurize(*r.mol, featurizer));
  return graphs;
}

std::vector<const RDKit::ROMol*> mols_of(const MoleculeSet& set) {
  std::vector<const RDKit::ROMol*> mols;
  for (const auto& r : set.records) mols.push_back(r.mol.get());
  return mols;
}

/// The Python pipeline over the same file, and each stage's gnnx / Python ratio.
void compare_with_python(const Args& args, const std::map<std::string, double>& gnnx_rates) {
  std::printf("\nPython pipeline (bench/mol_pipeline.py, one molecule at a time):\n");
  if (args.python.empty()) {
    std::printf("  not run (--no-python)\n");
    return;
  }
  const std::string weights = (std::filesystem::temp_directory_path() /
                               ("mol_bench_weights_" + std::to_string(::getpid()) + ".json"))
                                  .string();
  MoleculeSet set = gnnx::molecules::read_molecules(args.data, gnnx::molecules::ReadOptions());
  std::vector<std::string> smiles;
  for (const auto& r : set.records) smiles.push_back(r.smiles);
  gnnx::bench::write_pipeline_weights(args.model, smiles, weights);
  const gnnx::bench::PythonRun py = gnnx::bench::run_python_pipeline(
      args.python, GNNX_MOL_PIPELINE_SCRIPT, weights, args.data, args.repeats, 1, args.png);
  std::filesystem::remove(weights);
  if (!py.ran) {
    std::printf("  missing: %s\n", py.why_not.c_str());
    return;
  }
  std::printf("  GCN: %s; largest |logit| difference from gnnx's: %.2g\n\n", py.gcn.c_str(),
              py.max_logit_diff);
  // Python stage -> the gnnx rows it is compared with.
  const std::vector<std::pair<const char*, std::vector<const char*>>> pairs = {
      {"parse+featurise", {"parse+featurise (floor)"}},
      {"+ predict", {"+ predict"}},
      {"+ explain saliency", {"+ explain saliency", "+ explain grad-cam"}},
      {"+ explain saliency + PNG", {"+ explain saliency + PNG", "+ explain grad-cam + PNG"}},
  };
  std::printf("| stage | Python mol/s (1 thread) | gnnx row | gnnx mol/s (%d threads) | ratio |\n",
              gnnx::gnn::worker_threads());
  std::printf("| --- | ---: | --- | ---: | ---: |\n");
  for (const auto& stage : py.stages) {
    for (const auto& [name, rows] : pairs) {
      if (stage.name != name) continue;
      for (const char* row : rows) {
        const auto it = gnnx_rates.find(row);
        if (it == gnnx_rates.end() || stage.per_second <= 0) continue;
        std::printf("| %s | %.0f | %s | %.0f | %.2fx |\n", name, stage.per_second, row, it->second,
                    it->second / stage.per_second);
      }
    }
  }
}

int run(int argc, char** argv) {
  Args args;
  if (const char* shared = std::getenv("GNNX_SHARED_DATA")) {
    args.data = std::string(shared) + "/bbbp/BBBP.csv";
  } else {
    args.data = "../shared/data/bbbp/BBBP.csv";
  }
  for (int i = 1; i < argc; ++i) {
    auto value = [&](const char* flag) -> const char* {
      if (std::strcmp(argv[i], flag) != 0 || i + 1 >= argc) return nullptr;
      return argv[++i];
    };
    if (const char* v = value("--model")) {
      args.model = v;
    } else if (const char* v = value("--data")) {
      args.data = v;
    } else if (const char* v = value("--threads")) {
      args.threads = std::atoi(v);
    } else if (const char* v = value("--batch")) {
      args.batch = std::atoll(v);
    } else if (const char* v = value("--repeats")) {
      args.repeats = std::atoi(v);
    } else if (const char* v = value("--python")) {
      args.python = v;
    } else if (std::strcmp(argv[i], "--no-python") == 0) {
      args.python.clear();
    } else if (std::strcmp(argv[i], "--no-gnnexplainer") == 0) {
      args.gnnexplainer = false;
    } else if (std::strcmp(argv[i], "--no-png") == 0) {
      args.png = false;
    } else {
      args.model.clear();
      break;
    }
  }
  if (args.model.empty() || args.batch < 1 || args.repeats < 1) {
    std::fprintf(
        stderr,
        "usage: mol_bench --model M.gnnx [--data BBBP.csv] [--threads N] [--batch B] "
        "[--repeats R]\n                 [--python PYTHON | --no-python] "
        "[--no-gnnexplainer] [--no-png]\n  (train M with: gnnx train --data BBBP.csv --target p_np "
        "--out M.gnnx)\n");
    return 2;
  }
  // Work split over gnnx's worker threads, each op on one thread: the command line's setting.
  at::set_num_threads(1);
  gnnx::gnn::set_worker_threads(args.threads > 0 ? args.threads : 1);
  try {
    gnnx::molecules::MoleculeExplainerOptions options;
    options.batch = args.batch;
    gnnx::molecules::MoleculeExplainer gradcam(args.model, "grad-cam", options);
    gnnx::molecules::MoleculeExplainer saliency(args.model, "saliency", options);
    options.method.epochs = 100;
    gnnx::molecules::MoleculeExplainer gnnexplainer(args.model, "gnnexplainer", options);
    const auto& featurizer = gradcam.featurizer();

    struct Row {
      const char* name;
      std::function<size_t()> run;  // returns the molecules handled
      double best = 1e300;
      size_t molecules = 0;
    };
    auto pipeline = [&](gnnx::molecules::MoleculeExplainer* explainer, bool png) {
      return [&, explainer, png]() -> size_t {
        MoleculeSet set;
        const std::vector<MolGraph> graphs = parse_and_featurize(args, featurizer, set);
        if (explainer == nullptr) return graphs.size();
        const auto mols = mols_of(set);
        const auto explanations = explainer->explain(mols, graphs);
        for (const auto& r : explanations) {
          if (!r.explanation) throw std::runtime_error("not explained: " + r.error);
        }
        if (png) {
          // One picture per molecule on the worker threads, as explain-mol --render-dir.
          std::vector<size_t> bytes(mols.size(), 0);
          gnnx::gnn::parallel_for_each(
              static_cast<int64_t>(mols.size()), gnnx::gnn::worker_threads(), [&](int64_t i) {
                bytes[i] = explainer
                               ->draw(*mols[i], *explanations[i].explanation,
                                      gnnx::molecules::ImageFormat::kPng)
                               .size();
              });
          for (size_t b : bytes) {
            if (b == 0) throw std::runtime_error("no PNG drawn");
          }
        }
        return explanations.size();
      };
    };
    std::vector<Row> rows = {
        {"parse+featurise (floor)", pipeline(nullptr, false)},
        {"+ predict",
         [&]() -> size_t {
           MoleculeSet set;
           const std::vector<MolGraph> graphs = parse_and_featurize(args, featurizer, set);
           return gradcam.predict(graphs).size();
         }},
        {"+ explain saliency", pipeline(&saliency, false)},
        {"+ explain saliency + PNG", pipeline(&saliency, true)},
        {"+ explain grad-cam", pipeline(&gradcam, false)},
        {"+ explain grad-cam + PNG", pipeline(&gradcam, true)},
    };
    if (args.gnnexplainer) {
      rows.push_back({"+ explain gnnexplainer (100 steps)", pipeline(&gnnexplainer, false)});
      rows.push_back({"+ explain gnnexplainer (100 steps) + PNG", pipeline(&gnnexplainer, true)});
    }
    if (!args.png) {
      rows.erase(std::remove_if(rows.begin(), rows.end(),
                                [](const Row& r) { return std::strstr(r.name, "PNG") != nullptr; }),
                 rows.end());
    }
    for (int rep = 0; rep < args.repeats; ++rep) {
      for (Row& row : rows) {
        size_t n = 0;
        const double s = seconds_of([&] { n = row.run(); });
        row.best = std::min(row.best, s);
        row.molecules = n;
      }
    }
    std::printf("| pipeline | molecules | seconds | molecules/s | vs floor |\n");
    std::printf("| --- | ---: | ---: | ---: | ---: |\n");
    const double floor_rate = rows[0].molecules / rows[0].best;
    for (const Row& row : rows) {
      const double rate = row.molecules / row.best;
      std::printf("| %s | %zu | %.2f | %.0f | %.2f |\n", row.name, row.molecules, row.best, rate,
                  rate / floor_rate);
    }
    std::printf("\n(%s; threads: %d; batch: %lld molecules; best of %d runs)\n", args.data.c_str(),
                gnnx::gnn::worker_threads(), static_cast<long long>(args.batch), args.repeats);
    std::map<std::string, double> rates;
    for (const Row& row : rows) rates[row.name] = row.molecules / row.best;
    compare_with_python(args, rates);
  } catch (const gnnx::InputError& e) {
    std::fprintf(stderr, "mol_bench: %s\n", e.what());
    return 2;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return gnnx::bench::guarded_main("mol_bench", argc, argv, run); }
