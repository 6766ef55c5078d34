#pragma once
// A small untrained model with seeded weights, in eval mode, for the explainer tests that need
// some model of a task and architecture rather than a trained one (8 hidden units, biases 0.1).

#include <gnnx/gnn/models.h>

#include <torch/utils.h>

#include <cstdint>
#include <memory>

namespace gnnx::testing {

inline std::shared_ptr<gnn::GnnModel> small_model(gnn::Task task, int64_t in_features,
                                                  int64_t classes, uint64_t seed,
                                                  gnn::Architecture arch = gnn::Architecture::kGcn,
                                                  int64_t layers = gnn::ModelSpec().num_layers) {
  torch::manual_seed(seed);
  gnn::ModelSpec spec;
  spec.task = task;
  spec.arch = arch;
  spec.in_features = in_features;
  spec.num_classes = classes;
  spec.hidden = 8;
  spec.num_layers = layers;
  spec.bias_init = 0.1;
  auto model = gnn::make_model(spec);
  model->eval();
  return model;
}

}  // namespace gnnx::testing
