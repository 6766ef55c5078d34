#include "explanation_edges.h"

#include <gnnx/explainers/explanation_json.h>
#include <gnnx/io/number.h>
#include <gnnx/io/significant_digits.h>
#include <gnnx/io/tensor_vector.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>

namespace gnnx::explainers {
namespace {

using Json = nlohmann::ordered_json;

/// An option's text as the JSON value it spells: a boolean, an integer, a real number, or else
/// the text itself. Explanation::options holds text so that every method can fill it alike.
Json typed(const std::string& text) {
  if (text == "true" || text == "false") return text == "true";
  if (const auto i = io::to_integer<int64_t>(text)) return *i;
  if (const auto u = io::to_integer<uint64_t>(text)) return *u;  // seeds above 2^63
  if (const auto d = io::to_double(text)) return *d;
  return text;
}

Json options_json(const std::map<std::string, std::string>& options) {
  Json j = Json::object();
  for (const auto& [key, value] : options) j[key] = typed(value);
  return j;
}

/// Whether every explanation has the first one's options (always, for one run of one method).
bool options_shared(const std::vector<Explanation>& explanations) {
  return std::all_of(explanations.begin(), explanations.end(),
                     [&](const Explanation& e) { return e.options == explanations[0].options; });
}

/// The rows `positions` of `rows` as columns.
Json edge_columns(const detail::EdgeRows& rows, const std::vector<int64_t>& positions) {
  Json id = Json::array(), source = Json::array(), target = Json::array(),
       importance = Json::array();
  for (int64_t p : positions) {
    id.push_back(rows.id[p]);
    source.push_back(rows.source[p]);
    target.push_back(rows.target[p]);
    if (!rows.importance.empty()) importance.push_back(rows.importance[p]);
  }
  Json j = {{"id", id}, {"source", source}, {"target", target}};
  if (!rows.importance.empty()) j["importance"] = importance;
  return j;
}

Json explanation_json(const Explanation& e, const detail::EdgeRows& rows, int64_t top_k,
                      bool with_options) {
  Json j;
  j["target"] = e.target;
  j["predicted_class"] = e.predicted_class;
  j["explained_class"] = e.explained_class;
  j["probability"] = e.probability;
  j["undirected_edges"] = rows.undirected;
  j["nodes"] = {{"id", io::to_vector<int64_t>(e.node_ids)}};
  if (e.node_mask.defined()) j["nodes"]["importance"] = io::to_vector<double>(e.node_mask);
  std::vector<int64_t> all(rows.id.size());
  for (size_t p = 0; p < all.size(); ++p) all[p] = static_cast<int64_t>(p);
  j["edges"] = edge_columns(rows, all);
  std::vector<int64_t> top = detail::ranked(rows);
  top.resize(std::min<size_t>(top.size(), static_cast<size_t>(top_k)));
  j["top_edges"] = edge_columns(rows, top);
  if (e.feature_mask.defined()) j["feature_mask"] = io::to_vector<double>(e.feature_mask);
  // Aligned with nodes.id (BayesGrad's std over dropout samples).
  if (e.node_uncertainty.defined()) {
    j["node_uncertainty"] = io::to_vector<double>(e.node_uncertainty);
  }
  // What the method reports about its own accuracy on this target (integrated gradients'
  // completeness gaps).
  if (!e.diagnostics.empty()) j["diagnostics"] = e.diagnostics;
  // GNN-LRP's most relevant walks, most relevant first.
  if (!e.walks.empty()) {
    Json nodes = Json::array(), relevance = Json::array();
    for (const auto& w : e.walks) {
      nodes.push_back(w.nodes);
      relevance.push_back(w.relevance);
    }
    j["walks"] = {{"nodes", nodes}, {"relevance", relevance}};
  }
  // CF-GNNExplainer's counterfactual: its deleted edges listed as the edges are (one row per
  // undirected edge where the edges are so listed).
  if (e.counterfactual) {
    const Counterfactual& cf = *e.counterfactual;
    const std::vector<int64_t> deleted_ids = cf.deleted_edges.defined()
                                                 ? io::to_vector<int64_t>(cf.deleted_edges)
                                                 : std::vector<int64_t>{};
    const std::set<int64_t> deleted(deleted_ids.begin(), deleted_ids.end());
    std::vector<int64_t> positions;
    for (size_t p = 0; p < rows.id.size(); ++p) {
      if (deleted.count(rows.id[p])) positions.push_back(static_cast<int64_t>(p));
    }
    Json deleted_rows = edge_columns(rows, positions);
    deleted_rows.erase("importance");
    j["counterfactual"] = {
        {"flipped", cf.flipped},
        {"size", cf.size},
        {"new_class", cf.flipped ? Json(cf.new_class) : Json()},
        {"new_probability", std::isnan(cf.new_probability) ? Json() : Json(cf.new_probability)},
        {"deleted_edges", deleted_rows}};
  }
  // SubgraphX's chosen subgraph: its nodes and Shapley value.
  if (e.subgraph) {
    const std::vector<int64_t> nodes = e.subgraph->nodes.defined()
                                           ? io::to_vector<int64_t>(e.subgraph->nodes)
                                           : std::vector<int64_t>{};
    j["subgraph"] = {
        {"nodes", nodes},
        {"shapley", std::isnan(e.subgraph->shapley) ? Json() : Json(e.subgraph->shapley)},
        {"explored", e.subgraph->explored},
        {"evaluated", e.subgraph->evaluated}};
  }
  if (with_options) j["options"] = options_json(e.options);
  return j;
}

/// The top-level fields, "explanations" aside.
Json header_json(const std::vector<Explanation>& explanations, const ExplanationRun& run,
                 const ExplanationFileOptions& options) {
  Json j;
  j["schema"] = kExplanationSchema;
  j["method"] = explanations.empty() ? "" : explanations[0].method;
  j["task"] = explanations.empty() ? "" : gnn::to_string(explanations[0].task);
  if (!run.dataset.empty()) j["dataset"] = run.dataset;
  if (!run.model.empty()) j["model"] = run.model;
  if (run.seconds) j["seconds"] = *run.seconds;
  j["precision"] = options.precision;
  j["top_k"] = options.top_k;
  if (!explanations.empty() && options_shared(explanations)) {
    j["options"] = options_json(explanations[0].options);
  }
  return j;
}

/// The explanations' entries, each with its options where they are not the file's.
std::vector<Json> entries(const std::vector<Explanation>& explanations,
                          const std::vector<gnn::Graph>& graphs, int64_t top_k) {
  const bool own_options = !options_shared(explanations);
  detail::EdgeLister lister(graphs);
  std::vector<Json> out;
  out.reserve(explanations.size());
  for (const auto& e : explanations) {
    out.push_back(explanation_json(e, lister.rows(e), top_k, own_options));
  }
  return out;
}

}  // namespace

std::string explanations_to_json(const std::vector<Explanation>& explanations,
                                 const std::vector<gnn::Graph>& graphs, const ExplanationRun& run,
                                 const ExplanationFileOptions& options) {
  Json doc = header_json(explanations, run, options);
  doc["explanations"] = entries(explanations, graphs, options.top_k);
  return io::dump_significant(doc, options.precision);
}

std::string explanations_to_jsonl(const std::vector<Explanation>& explanations,
                                  const std::vector<gnn::Graph>& graphs, const ExplanationRun& run,
                                  const ExplanationFileOptions& options) {
  std::string out =
      io::dump_significant(header_json(explanations, run, options), options.precision);
  out += '\n';
  for (const Json& entry : entries(explanations, graphs, options.top_k)) {
    out += io::dump_significant(entry, options.precision);
    out += '\n';
  }
  return out;
}

}  // namespace gnnx::explainers
