#pragma once
// Where the molecule benchmarks read their files: the shared data folder. One rule for every
// command that reads it (`gnnx evaluate --data-dir`, `gnnx datasets`) and for
// LoadOptions::data_dir.

#include <string>

namespace gnnx::benchmarks {

/// The shared data folder: `given` when not empty, else $GNNX_SHARED_DATA when set and not
/// empty, else "../shared/data" (relative to the working directory).
///
/// Example:
///   shared_data_dir("")            // "$GNNX_SHARED_DATA", or "../shared/data"
///   shared_data_dir("/data/gnnx")  // "/data/gnnx"
std::string shared_data_dir(const std::string& given = {});

}  // namespace gnnx::benchmarks
