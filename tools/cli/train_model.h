#pragma once
// Training a model on a synthetic data set with the data set's defaults (cli/train_defaults.h):
// shared by `gnnx train` and by `gnnx evaluate` when it is given no model.

#include "cli/train_defaults.h"

#include <gnnx/datasets/synthetic.h>
#include <gnnx/gnn/models.h>
#include <gnnx/gnn/training.h>

#include <memory>

namespace gnnx::tools {

struct TrainedModel {
  std::shared_ptr<gnn::GnnModel> model;
  gnn::ModelSpec spec;
  gnn::TrainOptions options;
  gnn::TrainResult result;
};

/// Builds the model `settings` describe for `ds` and trains it with `seed` (weights, split,
/// dropout), showing a progress bar on a terminal unless `quiet`. Trains on `device`; the model
/// comes back on the CPU.
TrainedModel train_on_dataset(const datasets::Dataset& ds, const TrainDefaults& settings,
                              uint64_t seed, bool quiet,
                              torch::Device device = torch::Device(torch::kCPU));

}  // namespace gnnx::tools
