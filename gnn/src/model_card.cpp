// ModelCard <-> the flat string map of older files, and <-> the JSON object of model files.
// One list of fields (for_each_field) drives all four directions.

#include "model_json.h"

#include <gnnx/gnn/error.h>
#include <gnnx/io/number.h>
#include <gnnx/io/text.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <sstream>
#include <type_traits>

namespace gnnx::gnn {
namespace {

using nlohmann::json;

constexpr char kFeaturizerPrefix[] = "featurizer.";
constexpr char kDataFilePrefix[] = "data_file.";

/// Calls f(name, field) for every field of a DataFile.
template <class File, class F>
void for_each_data_file_field(File& file, F&& f) {
  f("role", file.role);
  f("path", file.path);
  f("crc32", file.crc32);
}

/// Moves the "data_file.<i>.<field>" keys of `rest` into `files` (in index order); a key whose
/// index or field does not parse stays in `rest`.
void take_data_files(std::map<std::string, std::string>& rest, std::vector<DataFile>& files) {
  std::map<int64_t, DataFile> by_index;
  for (auto it = rest.lower_bound(kDataFilePrefix); it != rest.end();) {
    const std::string& key = it->first;
    if (key.rfind(kDataFilePrefix, 0) != 0) break;
    const std::string tail = key.substr(sizeof(kDataFilePrefix) - 1);
    const size_t dot = tail.find('.');
    const auto index = io::to_integer<int64_t>(tail.substr(0, dot));
    bool taken = false;
    if (index && *index >= 0 && dot != std::string::npos) {
      for_each_data_file_field(by_index[*index], [&](const char* name, std::string& field) {
        if (tail.compare(dot + 1, std::string::npos, name) == 0) {
          field = it->second;
          taken = true;
        }
      });
    }
    it = taken ? rest.erase(it) : std::next(it);
  }
  for (auto& [index, file] : by_index) files.push_back(std::move(file));
}

/// Calls f(flat key, JSON section ("" = top level), JSON name, field) for every field of the
/// card except the featurisation options and the extras.
template <class Card, class F>
void for_each_field(Card& c, F&& f) {
  f("dataset", "", "dataset", c.dataset);
  f("data", "", "source", c.source);
  f("dataset_seed", "", "dataset_seed", c.dataset_seed);
  f("property.kind", "", "property_kind", c.property_kind);
  f("property.tasks", "", "tasks", c.tasks);
  f("class_names", "", "class_names", c.class_names);
  f("featurisation", "featurisation", "name", c.featurisation.name);
  f("created_by", "", "created_by", c.created_by);
  auto& t = c.training;
  f("seed", "training", "seed", t.seed);
  f("epochs", "training", "epochs", t.epochs);
  f("lr", "training", "lr", t.lr);
  f("weight_decay", "training", "weight_decay", t.weight_decay);
  f("batch_size", "training", "batch_size", t.batch_size);
  f("edge_dropout", "training", "edge_dropout", t.edge_dropout);
  f("train_fraction", "training", "train_fraction", t.train_fraction);
  f("val_fraction", "training", "val_fraction", t.val_fraction);
  f("split", "training", "split", t.split);
  f("best_epoch", "training", "best_epoch", t.best_epoch);
  f("train_accuracy", "training", "train_accuracy", t.train_accuracy);
  f("val_accuracy", "training", "val_accuracy", t.val_accuracy);
  f("test_accuracy", "training", "test_accuracy", t.test_accuracy);
  f("test_score", "training", "test_score", t.test_score);
  f("cv_folds", "training", "cv_folds", t.cv_folds);
  f("cv_test_accuracy", "training", "cv_test_accuracy", t.cv_test_accuracy);
}

// --- fields as text (the flat map); nullopt / false = unset or unparsable ---------------------

std::optional<std::string> to_text(const std::string& v) {
  return v.empty() ? std::nullopt : std::optional<std::string>(v);
}

std::optional<std::string> to_text(const std::vector<std::string>& v) {
  if (v.empty()) return std::nullopt;
  return io::join(v);
}

std::optional<std::string> to_text(const std::optional<PropertyKind>& v) {
  return v ? std::optional<std::string>(to_string(*v)) : std::nullopt;
}

template <class T>
std::optional<std::string> to_text(const std::optional<T>& v) {
  if (!v) return std::nullopt;
  std::ostringstream s;
  s.precision(17);  // doubles round-trip
  s << *v;
  return s.str();
}

bool from_text(const std::string& s, std::string& out) {
  out = s;
  return true;
}

bool from_text(const std::string& s, std::vector<std::string>& out) {
  out = io::split_list(s, ',', io::EmptyItems::kKeep);
  return true;
}

bool from_text(const std::string& s, std::optional<PropertyKind>& out) {
  try {
    out = parse_property_kind(s);
    return true;
  } catch (const InputError&) {
    return false;
  }
}

template <class T>
bool from_text(const std::string& s, std::optional<T>& out) {
  std::optional<T> v;
  if constexpr (std::is_floating_point_v<T>) {
    v = io::to_double(s, io::NonFinite::kAllow);
  } else {
    v = io::to_integer<T>(s);
  }
  if (!v) return false;
  out = v;
  return true;
}

// --- fields as JSON ---------------------------------------------------------------------------

void put(json& j, const char* name, const std::string& v) {
  if (!v.empty()) j[name] = v;
}
void put(json& j, const char* name, const std::vector<std::string>& v) {
  if (!v.empty()) j[name] = v;
}
void put(json& j, const char* name, const std::optional<PropertyKind>& v) {
  if (v) j[name] = to_string(*v);
}
template <class T>
void put(json& j, const char* name, const std::optional<T>& v) {
  if (!v) return;
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(*v)) {  // JSON has no NaN: null reads back as NaN
      j[name] = nullptr;
      return;
    }
  }
  j[name] = *v;
}

void get(const json& j, std::string& out) { out = j.get<std::string>(); }
void get(const json& j, std::vector<std::string>& out) { out = j.get<std::vector<std::string>>(); }
void get(const json& j, std::optional<PropertyKind>& out) {
  out = parse_property_kind(j.get<std::string>());
}
template <class T>
void get(const json& j, std::optional<T>& out) {
  if constexpr (std::is_floating_point_v<T>) {
    if (j.is_null()) {
      out = std::numeric_limits<T>::quiet_NaN();
      return;
    }
  }
  out = j.get<T>();
}

}  // namespace

ModelCard::ModelCard() = default;

ModelCard ModelCard::from_metadata(const std::map<std::string, std::string>& metadata) {
  ModelCard card;
  std::map<std::string, std::string> rest = metadata;
  for_each_field(card, [&](const char* key, const char*, const char*, auto& field) {
    const auto it = rest.find(key);
    if (it != rest.end() && from_text(it->second, field)) rest.erase(it);
  });
  for (auto it = rest.begin(); it != rest.end();) {
    if (it->first.rfind(kFeaturizerPrefix, 0) == 0) {
      card.featurisation.options.insert(*it);
      it = rest.erase(it);
    } else {
      ++it;
    }
  }
  take_data_files(rest, card.data_files);
  card.extras = std::move(rest);
  return card;
}

std::map<std::string, std::string> ModelCard::to_metadata() const {
  std::map<std::string, std::string> out = extras;
  out.insert(featurisation.options.begin(), featurisation.options.end());
  for (size_t i = 0; i < data_files.size(); ++i) {
    for_each_data_file_field(data_files[i], [&](const char* name, const std::string& field) {
      out[kDataFilePrefix + std::to_string(i) + "." + name] = field;
    });
  }
  for_each_field(*this, [&](const char* key, const char*, const char*, const auto& field) {
    if (auto text = to_text(field)) out[key] = *text;
  });
  return out;
}

namespace detail {

json card_to_json(const ModelCard& card) {
  json j = json::object();
  for_each_field(card, [&](const char*, const char* section, const char* name, const auto& field) {
    put(*section ? j[section] : j, name, field);
  });
  if (!card.featurisation.options.empty())
    j["featurisation"]["options"] = card.featurisation.options;
  for (const DataFile& file : card.data_files) {
    json f = json::object();
    for_each_data_file_field(file, [&](const char* name, const std::string& v) { f[name] = v; });
    j["data_files"].push_back(f);
  }
  return j;
}

ModelCard card_from_json(const json& j, std::map<std::string, std::string> extras) {
  if (!j.is_object()) throw InputError("the model card is not a JSON object");
  ModelCard card;
  for_each_field(card, [&](const char*, const char* section, const char* name, auto& field) {
    const json* where = &j;
    if (*section) {
      const auto it = j.find(section);
      if (it == j.end()) return;
      where = &*it;
    }
    if (where->contains(name)) get(where->at(name), field);
  });
  if (j.contains("featurisation") && j["featurisation"].contains("options")) {
    card.featurisation.options =
        j["featurisation"]["options"].get<std::map<std::string, std::string>>();
  }
  if (j.contains("data_files")) {
    for (const json& f : j.at("data_files")) {
      DataFile& file = card.data_files.emplace_back();
      for_each_data_file_field(file, [&](const char* name, std::string& field) {
        if (f.contains(name)) field = f.at(name).get<std::string>();
      });
    }
  }
  card.extras = std::move(extras);
  return card;
}

}  // namespace detail
}  // namespace gnnx::gnn
