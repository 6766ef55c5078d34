// ModelSpec <-> the "spec" object of a model file's header (model_file.cpp).

#include <gnnx/gnn/error.h>

#include "model_json.h"

namespace gnnx::gnn::detail {

nlohmann::json spec_to_json(const ModelSpec& spec) {
  return nlohmann::json{{"task", to_string(spec.task)},
                        {"in_features", spec.in_features},
                        {"num_classes", spec.num_classes},
                        {"hidden", spec.hidden},
                        {"num_layers", spec.num_layers},
                        {"dropout", spec.dropout},
                        {"concat", spec.concat},
                        {"readout", to_string(spec.readout)},
                        {"mlp_hidden", spec.mlp_hidden},
                        {"bias_init", spec.bias_init},
                        {"aggregation", to_string(spec.aggregation)},
                        {"embedding_norm", to_string(spec.embedding_norm)},
                        {"arch", to_string(spec.arch)},
                        {"heads", spec.heads},
                        {"edge_dim", spec.edge_dim},
                        {"train_eps", spec.train_eps},
                        {"readout_concat", spec.readout_concat}};
}

ModelSpec spec_from_json(const nlohmann::json& j) {
  ModelSpec spec;
  spec.task = parse_task(j.at("task").get<std::string>());
  spec.in_features = j.at("in_features").get<int64_t>();
  spec.num_classes = j.at("num_classes").get<int64_t>();
  spec.hidden = j.at("hidden").get<int64_t>();
  spec.num_layers = j.at("num_layers").get<int64_t>();
  spec.dropout = j.at("dropout").get<double>();
  spec.concat = j.at("concat").get<bool>();
  spec.readout = parse_readout(j.at("readout").get<std::string>());
  spec.mlp_hidden = j.at("mlp_hidden").get<int64_t>();
  // Added after the first files were written; it only describes how the weights started.
  spec.bias_init = j.value("bias_init", 0.0);
  // Added later still; files without them were written by symmetric-normalised GCNs.
  spec.aggregation = parse_aggregation(j.value("aggregation", std::string("symmetric")));
  spec.embedding_norm = parse_embedding_norm(j.value("embedding_norm", std::string("none")));
  // Added with the other layer types; files without them were written by GCNs.
  spec.arch = parse_architecture(j.value("arch", std::string("gcn")));
  spec.heads = j.value("heads", int64_t{1});
  spec.edge_dim = j.value("edge_dim", int64_t{0});
  spec.train_eps = j.value("train_eps", false);
  spec.readout_concat = j.value("readout_concat", false);
  spec.validate();
  return spec;
}

}  // namespace gnnx::gnn::detail
