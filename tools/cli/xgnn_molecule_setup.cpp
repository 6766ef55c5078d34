#include <gnnx/gnn/error.h>
#include <gnnx/gnn/property_training.h>
#include <gnnx/io/atomic_file.h>
#include <gnnx/molecules/draw.h>
#include <gnnx/molecules/featurize.h>
#include <gnnx/molecules/xgnn_molecule_rules.h>

#include <algorithm>
#include <cstdio>

#include "cli/xgnn_setup.h"

namespace gnnx::tools {
namespace {

std::vector<std::string> elements_of(const explainers::GeneratedGraph& g,
                                     const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (int64_t t : g.types) out.push_back(names.at(static_cast<size_t>(t)));
  return out;
}

}  // namespace

XgnnSetup molecule_setup(const gnn::ModelFile& file, const std::vector<std::string>& node_types) {
  const gnn::PropertyKind kind = file.card.property_kind.value();
  if (kind != gnn::PropertyKind::kBinary) {
    throw InputError("generate: needs a classifier, the model is a regression model");
  }
  if (file.model->spec().num_classes != 1) {
    throw InputError("generate: the model has " + std::to_string(file.model->spec().num_classes) +
                     " tasks; generation needs a single-task classifier");
  }
  const molecules::FeaturizerOptions featurizer =
      molecules::FeaturizerOptions::from_metadata(file.card.featurisation.options);
  XgnnSetup s;
  s.molecular = true;
  // Two logits [-z/2, z/2]: class 1 = the positive label (MUTAG: mutagenic), class 0 = not.
  s.model = gnn::single_task_view(*file.model, 0, kind);
  s.type_names = node_types.empty() ? featurizer.elements : node_types;
  for (const auto& e : s.type_names) {
    if (!featurizer.other_element &&
        std::find(featurizer.elements.begin(), featurizer.elements.end(), e) ==
            featurizer.elements.end()) {
      throw InputError("--node-types: the model's featurizer has no element '" + e + "'");
    }
  }
  const std::vector<std::string> names = s.type_names;
  s.featurizer = [names, featurizer](const explainers::GeneratedGraph& g) {
    return molecules::featurize_generated(elements_of(g, names), g.edges, featurizer);
  };
  s.rules = {[names](const explainers::GeneratedGraph& g) {
    return molecules::molecule_sanitizes(elements_of(g, names), g.edges);
  }};
  s.smiles = [names](const explainers::GeneratedGraph& g) {
    return molecules::generated_smiles(elements_of(g, names), g.edges);
  };
  s.check_output = [](const std::string& path) { molecules::image_format_for(path); };
  s.draw = [smiles = s.smiles](const std::vector<explainers::ScoredGraph>& graphs,
                               const std::string& path) {
    std::vector<std::string> all, legends;
    for (const auto& scored : graphs) {
      all.push_back(smiles(scored.graph));
      char legend[64];
      std::snprintf(legend, sizeof legend, "p = %.4f", scored.probability);
      legends.emplace_back(legend);
    }
    const std::string picture = molecules::draw_molecule_grid(all, legends, /*columns=*/5,
                                                              molecules::image_format_for(path));
    io::write_file_atomically(path, [&](std::ostream& out) { out << picture; });
  };
  return s;
}

}  // namespace gnnx::tools
