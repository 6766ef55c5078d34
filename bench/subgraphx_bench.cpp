// SubgraphX seconds per target on BA-2Motifs (graphs) and BA-Shapes (nodes), one core (issue 18,
// item 2: against DIG's published per-graph times at the same rollouts and samples, target
// >= 20x faster). For each model given: the first --targets of the data set's standard targets
// (seed 0), explained one call each after one untimed warm-up target; prints wall-clock seconds
// per target, the subgraphs scored per target (each one Shapley value of --samples samples),
// the masked copies those samples draw and the distinct ones the model evaluates (a coalition
// drawn again is remembered), evaluations per second, and the edge AUC over those targets.
//
//   subgraphx_bench [--graphs ba-2motifs.gnnx] [--nodes ba-shapes.gnnx] [--targets N]
//                   [--rollouts R] [--samples S] [--expand-atoms E] [--high2low]
// Models: `gnnx train --dataset ba-2motifs --seed 0 --out ba-2motifs.gnnx`, and the same for
// ba-shapes. Defaults: DIG's SubgraphX defaults (20 rollouts, 100 samples, expand-atoms 14,
// lowest degrees first), 20 targets. DIG's benchmark settings for BA-Shapes and BA-2Motifs:
// --expand-atoms 20 --high2low.

#include "guarded_main.h"

#include <ATen/Parallel.h>
#include <gnnx/datasets/synthetic.h>
#include <gnnx/explainers/metrics.h>
#include <gnnx/explainers/subgraphx.h>
#include <gnnx/gnn/model_file.h>
#include <gnnx/gnn/threads.h>
#include <gnnx/io/tensor_vector.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

namespace ex = gnnx::explainers;
namespace gnn = gnnx::gnn;

void measure(const std::string& dataset, const std::string& model_path, int64_t count,
             const ex::SubgraphXOptions& options) {
  const auto ds = gnnx::datasets::make_synthetic(dataset, 0);
  auto model = gnn::load_model(model_path).model;
  model->eval();
  std::vector<int64_t> targets = gnnx::io::to_vector<int64_t>(ds.eval_targets);
  targets.resize(std::min<int64_t>(count, static_cast<int64_t>(targets.size())));
  const ex::SubgraphX subgraphx(options);
  const bool nodes = ds.task == gnn::Task::kNodeClassification;
  const auto explain = [&](int64_t t) {
    return nodes ? subgraphx.explain_nodes(*model, ds.graphs[0], std::vector<int64_t>{t})
                 : subgraphx.explain_graphs(*model, ds.graphs, std::vector<int64_t>{t});
  };
  explain(targets.front());  // warm-up, untimed
  std::vector<ex::Explanation> all;
  double seconds = 0, scored = 0, evaluated = 0, nodes_seen = 0;
  for (int64_t t : targets) {
    const auto t0 = std::chrono::steady_clock::now();
    auto e = explain(t);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    scored += static_cast<double>(e[0].subgraph->explored);
    evaluated += static_cast<double>(e[0].subgraph->evaluated);
    nodes_seen += static_cast<double>(e[0].node_ids.numel());
    all.push_back(std::move(e[0]));
  }
  const double n = static_cast<double>(targets.size());
  // Each scored subgraph draws 2 * samples masked copies of the target's subgraph; the model
  // evaluates each distinct one once.
  const double drawn = scored * 2.0 * static_cast<double>(options.samples());
  std::printf("| %s | %lld | %.1f | %.3f | %.1f | %.0f | %.0f | %.0f | %.3f |\n", dataset.c_str(),
              static_cast<long long>(targets.size()), nodes_seen / n, seconds / n, scored / n,
              drawn / n, evaluated / n, evaluated / seconds,
              ex::explanation_auc(all, ds.gt_edge_mask));
}

int run(int argc, char** argv) {
  std::string graphs_model, nodes_model;
  int64_t count = 20;
  ex::SubgraphXOptions options;
  for (int i = 1; i < argc; ++i) {
    const bool value = i + 1 < argc;
    if (std::strcmp(argv[i], "--graphs") == 0 && value) {
      graphs_model = argv[++i];
    } else if (std::strcmp(argv[i], "--nodes") == 0 && value) {
      nodes_model = argv[++i];
    } else if (std::strcmp(argv[i], "--targets") == 0 && value) {
      count = std::max<int64_t>(1, std::atoll(argv[++i]));
    } else if (std::strcmp(argv[i], "--rollouts") == 0 && value) {
      options.rollouts(std::max<int64_t>(1, std::atoll(argv[++i])));
    } else if (std::strcmp(argv[i], "--samples") == 0 && value) {
      options.samples(std::max<int64_t>(1, std::atoll(argv[++i])));
    } else if (std::strcmp(argv[i], "--expand-atoms") == 0 && value) {
      options.expand_atoms(std::max<int64_t>(1, std::atoll(argv[++i])));
    } else if (std::strcmp(argv[i], "--high2low") == 0) {
      options.high2low(true);
    } else {
      std::fprintf(stderr,
                   "usage: subgraphx_bench [--graphs ba-2motifs.gnnx] [--nodes ba-shapes.gnnx] "
                   "[--targets N] [--rollouts R] [--samples S] [--expand-atoms E] "
                   "[--high2low]\n");
      return 2;
    }
  }
  at::set_num_threads(1);
  gnn::set_worker_threads(1);
  std::printf(
      "SubgraphX, %lld rollouts, %lld samples, min-atoms %lld, expand-atoms %lld%s, "
      "max-nodes %lld, one thread\n\n",
      static_cast<long long>(options.rollouts()), static_cast<long long>(options.samples()),
      static_cast<long long>(options.min_atoms()), static_cast<long long>(options.expand_atoms()),
      options.high2low() ? " (highest degrees first)" : "",
      static_cast<long long>(options.max_nodes()));
  std::printf(
      "| data set | targets | nodes per target | seconds per target | subgraphs scored per "
      "target | masked copies drawn per target | distinct ones evaluated per target | evaluated "
      "per second | edge AUC |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  if (!graphs_model.empty()) measure("ba-2motifs", graphs_model, count, options);
  if (!nodes_model.empty()) measure("ba-shapes", nodes_model, count, options);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return gnnx::bench::guarded_main("subgraphx_bench", argc, argv, run);
}
