#pragma once
// Model files: one file holding a model's architecture (ModelSpec), its weights and its model
// card (gnn/model_card.h: the data set it was trained on, the training record, ...), with a
// checksum so that a truncated or corrupted file is refused rather than half-loaded.

#include <gnnx/gnn/model_card.h>
#include <gnnx/gnn/models.h>

#include <map>
#include <memory>
#include <string>

namespace gnnx::gnn {

struct ModelFile {
  std::shared_ptr<GnnModel> model;
  ModelCard card;  ///< files written before the card: mapped from their metadata
  /// The card as the flat string map of older files (card.to_metadata()), e.g.
  /// {"dataset": "ba-shapes", "seed": "0"}: for code written against that map.
  std::map<std::string, std::string> metadata;
};

/// Writes atomically (temporary file + rename): either the complete file exists or none.
/// Throws Error when the path cannot be written.
void save_model(const std::string& path, const GnnModel& model,
                const ModelCard& card = ModelCard());

/// As above, with the flat string map of older code: ModelCard::from_metadata(metadata).
void save_model(const std::string& path, const GnnModel& model,
                const std::map<std::string, std::string>& metadata);

/// Throws InputError("model file '<path>': <problem>") when it cannot be read, is not a gnnx
/// model file, is truncated, fails its checksum, or its tensors do not match the model its spec
/// describes. Weights load bit-identically (float64 models stay float64); the model comes back
/// in eval mode, and loading leaves torch's CPU random stream as it was.
/// The format (magic, version, JSON header, raw tensors, CRC-32) is described in model_file.cpp.
ModelFile load_model(const std::string& path);

}  // namespace gnnx::gnn
