#include "cli/train_model.h"

#include "cli/progress.h"

#include <gnnx/gnn/error.h>

#include <cstdio>

namespace gnnx::tools {

TrainedModel train_on_dataset(const datasets::Dataset& ds, const TrainDefaults& settings,
                              uint64_t seed, bool quiet, torch::Device device) {
  if (ds.graphs.empty()) throw InputError("data set '" + ds.name + "' has no graphs");
  TrainedModel out;
  out.spec.task = ds.task;
  out.spec.in_features = ds.graphs.front().num_features();
  out.spec.num_classes = ds.num_classes;
  out.spec.hidden = settings.hidden;
  out.spec.num_layers = settings.layers;
  out.spec.dropout = settings.dropout;
  out.spec.readout = settings.readout;
  out.spec.bias_init = settings.bias_init;
  out.spec.aggregation = settings.aggregation;
  out.spec.embedding_norm = settings.embedding_norm;
  out.spec.validate();

  out.options.epochs = settings.epochs;
  out.options.lr = settings.lr;
  out.options.weight_decay = settings.weight_decay;
  out.options.batch_size = settings.batch_size;
  out.options.edge_dropout = settings.edge_dropout;
  out.options.seed = seed;

  ProgressBar bar("train " + ds.name, out.options.epochs, /*enabled=*/!quiet);
  if (bar.active()) {
    out.options.on_epoch = [&bar](int64_t epoch, int64_t /*epochs*/, double loss, double val) {
      char status[64];
      std::snprintf(status, sizeof status, "loss %.4f val %.3f", loss, val);
      bar.update(epoch, status);
    };
  }
  torch::manual_seed(seed);               // make_model initialises from torch's RNG
  out.model = gnn::make_model(out.spec);  // initialised on the CPU: same weights on any device
  out.model->to(device);
  out.result = ds.task == gnn::Task::kNodeClassification
                   ? gnn::train_node_classifier(*out.model, ds.graphs.front(), out.options)
                   : gnn::train_graph_classifier(*out.model, ds.graphs, out.options);
  out.model->to(torch::kCPU);      // saved and explained from the CPU
  out.options.on_epoch = nullptr;  // the bar dies with this scope
  bar.finish();
  return out;
}

}  // namespace gnnx::tools
