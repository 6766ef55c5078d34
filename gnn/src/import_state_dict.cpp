#include <gnnx/gnn/error.h>
#include <gnnx/gnn/import_state_dict.h>

#include <torch/types.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "model_json.h"

namespace gnnx::gnn {
namespace {

std::string shape_text(const torch::Tensor& t) {
  std::ostringstream out;
  out << t.sizes();
  return out.str();
}

// The state_dict prefix of gnnx module `module` ("conv2", "head").
std::string source_prefix(const std::map<std::string, std::string>& names,
                          const std::string& module) {
  if (const auto it = names.find(module); it != names.end()) return it->second;
  static const std::regex conv("conv([0-9]+)");
  std::smatch m;
  if (std::regex_match(module, m, conv)) {
    const auto pattern = names.count("conv{}") ? names.at("conv{}") : std::string("convs.{}");
    const size_t at = pattern.find("{}");
    if (at == std::string::npos) return pattern + "." + m[1].str();
    return pattern.substr(0, at) + m[1].str() + pattern.substr(at + 2);
  }
  return module;
}

}  // namespace

ImportDescription read_import_description(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot open the model description");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path + ": not valid JSON: " + e.what());
  }
  if (!j.is_object()) throw InputError(path + ": the description must be a JSON object");
  static const std::set<std::string> known = {
      "task",        "in_features",    "num_classes", "hidden",      "num_layers",
      "dropout",     "concat",         "readout",     "mlp_hidden",  "bias_init",
      "aggregation", "embedding_norm", "arch",        "heads",       "edge_dim",
      "train_eps",   "readout_concat", "names",       "class_names", "dataset"};
  for (const auto& item : j.items()) {
    if (!known.count(item.key())) {
      throw InputError(path + ": unknown field '" + item.key() + "'");
    }
  }
  ImportDescription d;
  try {
    // Fields a model file always has, with the defaults of a fresh ModelSpec when left out.
    const nlohmann::json defaults = detail::spec_to_json(ModelSpec{});
    nlohmann::json spec = defaults;
    for (const auto& item : j.items()) {
      if (defaults.contains(item.key())) spec[item.key()] = item.value();
    }
    for (const char* required : {"task", "in_features", "num_classes"}) {
      if (!j.contains(required)) throw InputError(path + ": missing field '" + required + "'");
    }
    d.spec = detail::spec_from_json(spec);
    d.names = j.value("names", std::map<std::string, std::string>{});
    d.class_names = j.value("class_names", std::vector<std::string>{});
    d.dataset = j.value("dataset", std::string());
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path + ": a field of the wrong type: " + e.what());
  } catch (const InputError& e) {
    const std::string what = e.what();
    throw InputError(what.rfind(path, 0) == 0 ? what : path + ": " + what);
  }
  if (!d.class_names.empty() && static_cast<int64_t>(d.class_names.size()) != d.spec.num_classes) {
    throw InputError(path + ": " + std::to_string(d.class_names.size()) + " class_names for " +
                     std::to_string(d.spec.num_classes) + " classes");
  }
  return d;
}

std::shared_ptr<GnnModel> import_state_dict(const ImportDescription& description,
                                            const std::vector<io::NamedTensor>& state,
                                            const std::string& source) {
  std::shared_ptr<GnnModel> model;
  try {
    model = make_model(description.spec);
  } catch (const c10::Error& e) {
    throw InputError(source +
                     ": the description does not make a model: " + e.what_without_backtrace());
  }
  std::map<std::string, torch::Tensor> by_name;
  for (const auto& entry : state) by_name[entry.name] = entry.tensor;
  std::set<std::string> used;
  torch::NoGradGuard no_grad;
  auto fill = [&](const std::string& name, torch::Tensor& target) {
    const size_t dot = name.find('.');
    const std::string module = name.substr(0, dot);
    std::string rest = dot == std::string::npos ? "" : name.substr(dot + 1);
    const std::string prefix = source_prefix(description.names, module);
    const bool gcn_weight = description.spec.arch == Architecture::kGcn &&
                            module.rfind("conv", 0) == 0 && rest == "weight";
    if (gcn_weight) rest = "lin.weight";
    const std::string key = prefix.empty() ? rest : prefix + "." + rest;
    const auto it = by_name.find(key);
    if (it == by_name.end()) {
      throw InputError(source + ": no key '" + key + "' (gnnx's " + name +
                       ") in the state_dict; see the description's \"names\"");
    }
    torch::Tensor value = gcn_weight ? it->second.t() : it->second;
    if (value.sizes() != target.sizes()) {
      throw InputError(source + ": key '" + key + "' has shape " + shape_text(it->second) +
                       ", the description makes gnnx's " + name + " " +
                       shape_text(gcn_weight ? target.t() : target));
    }
    if (!value.is_floating_point()) {
      throw InputError(source + ": key '" + key + "' is not a floating-point tensor");
    }
    target.copy_(value.to(target.dtype()));
    used.insert(key);
  };
  for (auto& p : model->named_parameters(/*recurse=*/true)) fill(p.key(), p.value());
  for (auto& b : model->named_buffers(/*recurse=*/true)) fill(b.key(), b.value());
  for (const auto& entry : state) {
    if (!used.count(entry.name)) {
      throw InputError(source + ": key '" + entry.name + "' is not read by the described " +
                       to_string(description.spec.arch) +
                       " model (check the description's sizes, layers and \"names\")");
    }
  }
  model->eval();
  return model;
}

}  // namespace gnnx::gnn
