// PGExplainer against GNNExplainer on BA-Shapes, one core, one run (issue 18, item 1):
//   - explaining after training: seconds per target of a trained PGExplainer (trained_on_nodes,
//     then explain_nodes over all 700 nodes) against GNNExplainer's (all 700 nodes, one call);
//     target >= 10x faster;
//   - training plus explaining all 700 nodes (one explain_nodes call, trained on the 700)
//     against GNNExplainer's 700-node call; target <= 2x GNNExplainer's time;
//   - the edge AUC of both on the 60 standard targets (400:700:5), PGExplainer trained on them
//     and trained on other nodes (300:400: the first 20 houses).
// Both explainers use their registry defaults with symmetric masks (as `gnnx explain` on an
// undirected graph). Seconds are wall clock, best of --repeats runs, after one untimed warm-up
// call of each.
//
//   pgexplainer_bench [--model ba-shapes.gnnx] [--repeats N] [--epochs E]
// The model: a file (`gnnx train --dataset ba-shapes --seed 0 --out ba-shapes.gnnx`), or without
// --model one trained here as `gnnx train --dataset ba-shapes` trains (3 GCN layers of 20, bias
// 0.1, 1000 epochs at lr 0.01, weight decay 5e-4, torch seed 0).

#include "guarded_main.h"

#include <ATen/Parallel.h>
#include <gnnx/datasets/synthetic.h>
#include <gnnx/explainers/gnnexplainer.h>
#include <gnnx/explainers/metrics.h>
#include <gnnx/explainers/pgexplainer.h>
#include <gnnx/gnn/error.h>
#include <gnnx/gnn/model_file.h>
#include <gnnx/gnn/threads.h>
#include <gnnx/gnn/training.h>
#include <gnnx/io/tensor_vector.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace ex = gnnx::explainers;
namespace gnn = gnnx::gnn;

/// Best wall-clock seconds of `repeats` calls of f.
double best_of(int repeats, const std::function<void()>& f) {
  double best = std::numeric_limits<double>::infinity();
  for (int i = 0; i < repeats; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    best = std::min(best,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

std::vector<int64_t> range(int64_t begin, int64_t end, int64_t step) {
  std::vector<int64_t> out;
  for (int64_t i = begin; i < end; i += step) out.push_back(i);
  return out;
}

int run(int argc, char** argv) {
  std::string model_path;
  int repeats = 3;
  int64_t epochs = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--model") == 0 && i + 1 < argc) {
      model_path = argv[++i];
    } else if (std::strcmp(argv[i], "--repeats") == 0 && i + 1 < argc) {
      repeats = std::max(1, std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--epochs") == 0 && i + 1 < argc) {
      epochs = std::atoll(argv[++i]);
    } else {
      std::fprintf(
          stderr, "usage: pgexplainer_bench [--model ba-shapes.gnnx] [--repeats N] [--epochs E]\n");
      return 2;
    }
  }
  at::set_num_threads(1);
  gnn::set_worker_threads(1);
  const auto ds = gnnx::datasets::make_synthetic("ba-shapes", 0);
  std::shared_ptr<gnn::GnnModel> owned;
  if (model_path.empty()) {
    gnn::ModelSpec spec;
    spec.in_features = ds.graphs[0].num_features();
    spec.num_classes = ds.num_classes;
    spec.bias_init = 0.1;
    torch::manual_seed(0);
    owned = gnn::make_model(spec);
    gnn::TrainOptions train;
    train.epochs = 1000;
    train.lr = 0.01;
    train.weight_decay = 5e-4;
    const auto trained = gnn::train_node_classifier(*owned, ds.graphs[0], train);
    std::printf("model trained here: test accuracy %.3f\n", trained.test_accuracy);
    model_path = "(trained here)";
  } else {
    owned = gnn::load_model(model_path).model;
  }
  gnn::GnnModel& model = *owned;
  model.eval();
  const gnn::Graph& g = ds.graphs[0];
  const std::vector<int64_t> all = range(0, g.num_nodes(), 1);
  const std::vector<int64_t> eval = gnnx::io::to_vector<int64_t>(ds.eval_targets);

  const ex::GNNExplainer gnnexplainer(ex::GNNExplainerOptions().symmetric_edges(true));
  auto pg_options = ex::PGExplainerOptions().symmetric_edges(true);
  if (epochs > 0) pg_options.epochs(epochs);
  const ex::PGExplainer pgexplainer(pg_options);

  // Warm-up (allocator, first-touch), untimed.
  gnnexplainer.explain_nodes(model, g, std::vector<int64_t>{400});
  pgexplainer.explain_nodes(model, g, std::vector<int64_t>{400});

  const double gx_all = best_of(repeats, [&] { gnnexplainer.explain_nodes(model, g, all); });
  const double pg_all = best_of(repeats, [&] { pgexplainer.explain_nodes(model, g, all); });
  std::optional<ex::PGExplainer> trained;
  const double pg_fit =
      best_of(repeats, [&] { trained = pgexplainer.trained_on_nodes(model, g, all); });
  const double pg_explain = best_of(repeats, [&] { trained->explain_nodes(model, g, all); });

  const double gx_auc =
      ex::explanation_auc(gnnexplainer.explain_nodes(model, g, eval), ds.gt_edge_mask);
  const double pg_auc_same =
      ex::explanation_auc(pgexplainer.explain_nodes(model, g, eval), ds.gt_edge_mask);
  const double pg_auc_other = ex::explanation_auc(
      pgexplainer.trained_on_nodes(model, g, range(300, 400, 1)).explain_nodes(model, g, eval),
      ds.gt_edge_mask);

  const double n = static_cast<double>(all.size());
  std::printf("BA-Shapes (seed 0), model %s, one thread, best of %d\n\n", model_path.c_str(),
              repeats);
  std::printf("| what | seconds | per target (ms) |\n| --- | ---: | ---: |\n");
  std::printf("| gnnexplainer, %lld epochs, 700 nodes in one call | %.3f | %.3f |\n",
              static_cast<long long>(ex::GNNExplainerOptions().epochs()), gx_all, 1e3 * gx_all / n);
  std::printf(
      "| pgexplainer, %lld epochs: train on the 700 and explain them, one call | %.3f | "
      "%.3f |\n",
      static_cast<long long>(pg_options.epochs()), pg_all, 1e3 * pg_all / n);
  std::printf("| pgexplainer: training alone (trained_on_nodes, 700 nodes) | %.3f | %.3f |\n",
              pg_fit, 1e3 * pg_fit / n);
  std::printf("| pgexplainer: explaining alone after training (700 nodes) | %.3f | %.3f |\n\n",
              pg_explain, 1e3 * pg_explain / n);
  std::printf("explaining per target, gnnexplainer / trained pgexplainer: %.1fx (target >= 10x)\n",
              gx_all / pg_explain);
  std::printf("train + explain 700, pgexplainer / gnnexplainer: %.2fx (target <= 2x)\n\n",
              pg_all / gx_all);
  std::printf(
      "edge AUC, 60 targets 400:700:5: gnnexplainer %.3f, pgexplainer trained on them "
      "%.3f, trained on 300:400 %.3f\n",
      gx_auc, pg_auc_same, pg_auc_other);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return gnnx::bench::guarded_main("pgexplainer_bench", argc, argv, run);
}
