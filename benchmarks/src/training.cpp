// Turning TrainSettings into a model spec and optimiser options, and training a classifier on a
// synthetic data set with its model card.

#include <gnnx/benchmarks/training.h>
#include <gnnx/gnn/error.h>

#include <torch/utils.h>

#include <algorithm>
#include <string>

namespace gnnx::benchmarks {
namespace {

// Where a synthetic data set comes from, for the model card.
std::string synthetic_source(const std::string& name) {
  for (const datasets::DatasetInfo& info : datasets::synthetic_catalog()) {
    if (info.name == name) return "gnnx generator; " + info.source;
  }
  return "";
}

}  // namespace

TrainSettings molecule_train_settings() {
  TrainSettings s;
  s.epochs = 100;
  s.lr = 0.001;
  s.hidden = 128;
  s.layers = 3;
  s.dropout = 0.1;
  s.readout = gnn::Readout::kMean;
  s.batch_size = 64;
  s.mlp_hidden = -1;
  return s;
}

TrainSettings tu_molecule_train_settings() {
  TrainSettings s = molecule_train_settings();
  s.epochs = 300;
  s.lr = 0.01;
  s.hidden = 64;
  s.dropout = 0.5;
  s.readout = gnn::Readout::kSum;
  s.batch_size = 16;
  return s;
}

TrainSettings mutagenicity_train_settings() {
  TrainSettings s = molecule_train_settings();
  s.readout = gnn::Readout::kSum;
  return s;
}

int64_t edge_feature_width(const std::vector<gnn::Graph>& graphs) {
  int64_t width = -1;
  for (const gnn::Graph& g : graphs) {
    const int64_t w = g.edge_attr().defined() ? g.edge_attr().size(1) : 0;
    if (g.num_edges() == 0 && w == 0) continue;  // says nothing
    if (width >= 0 && w != width) {
      throw InputError("the graphs' edge features differ in width (" + std::to_string(width) +
                       " and " + std::to_string(w) + ")");
    }
    width = w;
  }
  return std::max<int64_t>(width, 0);
}

gnn::ModelSpec model_spec(const TrainSettings& settings, gnn::Task task, int64_t in_features,
                          int64_t outputs, int64_t edge_features) {
  gnn::ModelSpec spec;
  spec.task = task;
  spec.arch = settings.arch;
  if (settings.arch == gnn::Architecture::kGine && edge_features == 0) {
    throw InputError(
        "--arch gine adds edge features to its messages, and this data set has none (use --arch "
        "gin, or molecule data: --data)");
  }
  if (settings.arch == gnn::Architecture::kGine || settings.arch == gnn::Architecture::kGat) {
    spec.edge_dim = edge_features;
  }
  if (settings.arch != gnn::Architecture::kGat && settings.heads != 1) {
    throw InputError("--heads " + std::to_string(settings.heads) +
                     ": attention heads are for --arch gat only");
  }
  spec.heads = settings.heads;
  spec.in_features = in_features;
  spec.num_classes = outputs;
  spec.hidden = settings.hidden;
  spec.num_layers = settings.layers;
  spec.dropout = settings.dropout;
  spec.readout = settings.readout;
  spec.bias_init = settings.bias_init;
  spec.aggregation = settings.aggregation;
  spec.embedding_norm = settings.embedding_norm;
  spec.mlp_hidden = settings.mlp_hidden >= 0 ? settings.mlp_hidden : settings.hidden;
  spec.validate();
  return spec;
}

gnn::TrainOptions train_options(const TrainSettings& settings, uint64_t seed,
                                gnn::EpochCallback on_epoch) {
  gnn::TrainOptions options;
  options.epochs = settings.epochs;
  options.lr = settings.lr;
  options.weight_decay = settings.weight_decay;
  options.batch_size = settings.batch_size;
  options.edge_dropout = settings.edge_dropout;
  options.seed = seed;
  options.on_epoch = std::move(on_epoch);
  return options;
}

gnn::TrainingRecord training_record(const gnn::TrainOptions& options) {
  gnn::TrainingRecord t;
  t.seed = options.seed;
  t.epochs = options.epochs;
  t.lr = options.lr;
  t.weight_decay = options.weight_decay;
  t.batch_size = options.batch_size;
  t.edge_dropout = options.edge_dropout;
  t.train_fraction = options.train_fraction;
  t.val_fraction = options.val_fraction;
  return t;
}

TrainedModel train_on_dataset(const datasets::Dataset& ds, const TrainSettings& settings,
                              uint64_t seed, gnn::EpochCallback on_epoch, torch::Device device,
                              std::optional<gnn::Split> split) {
  if (ds.graphs.empty()) throw InputError("data set '" + ds.name + "' has no graphs");
  TrainedModel out;
  out.spec = model_spec(settings, ds.task, ds.graphs.front().num_features(), ds.num_classes,
                        edge_feature_width(ds.graphs));
  out.options = train_options(settings, seed, std::move(on_epoch));
  out.options.split = std::move(split);
  torch::manual_seed(seed);               // make_model initialises from torch's RNG
  out.model = gnn::make_model(out.spec);  // initialised on the CPU: same weights on any device
  out.model->to(device);
  out.result = ds.task == gnn::Task::kNodeClassification
                   ? gnn::train_node_classifier(*out.model, ds.graphs.front(), out.options)
                   : gnn::train_graph_classifier(*out.model, ds.graphs, out.options);
  out.model->to(torch::kCPU);  // saved and explained from the CPU
  out.options.on_epoch = nullptr;

  gnn::ModelCard& card = out.card;
  card.dataset = ds.name;
  card.source = synthetic_source(ds.name);
  card.class_names = ds.class_names;
  card.featurisation.name = "synthetic";
  gnn::TrainingRecord& t = card.training;
  t = training_record(out.options);
  if (out.options.split) {  // the fractions were not used
    t.split = "file";
    t.train_fraction.reset();
    t.val_fraction.reset();
  }
  t.best_epoch = out.result.best_epoch;
  t.train_accuracy = out.result.train_accuracy;
  t.val_accuracy = out.result.val_accuracy;
  t.test_accuracy = out.result.test_accuracy;
  return out;
}

}  // namespace gnnx::benchmarks
