#pragma once
// Per-data-set default hyperparameters of `gnnx train`: ONE table (train_defaults.cpp), so that
// the demo, scripts/results.sh and the README's numbers all come from the same settings.

#include <gnnx/gnn/models.h>

#include <cstdint>
#include <string>

namespace gnnx::tools {

/// Model and optimiser settings; every field can be overridden by a `gnnx train` flag.
struct TrainDefaults {
  int64_t epochs = 1000;                       ///< --epochs
  double lr = 0.001;                           ///< --lr (Adam)
  double weight_decay = 0.0;                   ///< --weight-decay (Adam, L2)
  int64_t hidden = 20;                         ///< --hidden: width of each GCN layer
  int64_t layers = 3;                          ///< --layers: number of GCN layers
  double dropout = 0.0;                        ///< --dropout
  gnn::Readout readout = gnn::Readout::kMean;  ///< --readout (graph task)
  int64_t batch_size = 64;                     ///< --batch-size (graph task)
  double edge_dropout = 0.0;  ///< --edge-dropout (DropEdge, TrainOptions::edge_dropout)
  double bias_init = 0.0;     ///< --bias-init: start of the GCN biases (ModelSpec::bias_init)
  gnn::Aggregation aggregation = gnn::Aggregation::kSymmetric;    ///< --aggregation
  gnn::EmbeddingNorm embedding_norm = gnn::EmbeddingNorm::kNone;  ///< --embedding-norm
};

/// The settings for the named data set; the generic defaults above for a name not in the table.
TrainDefaults train_defaults(const std::string& dataset);

}  // namespace gnnx::tools
