#pragma once
// The model spec and the model card as JSON objects of a model file's header (model_file.cpp).
// Private to gnn.

#include <gnnx/gnn/model_card.h>
#include <gnnx/gnn/models.h>

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace gnnx::gnn::detail {

nlohmann::json spec_to_json(const ModelSpec& spec);

/// Throws nlohmann::json's exceptions (the caller turns them into InputError) or InputError;
/// fields added after the first files default as documented in model_file.cpp.
ModelSpec spec_from_json(const nlohmann::json& j);

/// The card without its extras (those go to the header's "metadata" map); unset fields are
/// left out.
nlohmann::json card_to_json(const ModelCard& card);

/// Inverse of card_to_json, with `extras` as the card's extras. Throws nlohmann::json's
/// exceptions for a field of the wrong type and InputError for a value out of its set.
ModelCard card_from_json(const nlohmann::json& j, std::map<std::string, std::string> extras);

}  // namespace gnnx::gnn::detail
