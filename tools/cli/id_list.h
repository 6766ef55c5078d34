#pragma once
// Target lists on the command line: "all", "7", "1,5,9", Python-style ranges "400:700:5" and
// "400:700", and comma-separated mixes of these ("0:10,42").

#include <cstdint>
#include <string>
#include <vector>

namespace gnnx::tools {

/// Parses `spec` into ids in [0, limit). Throws InputError naming `what` and the offending part
/// for a malformed spec or an id out of range.
std::vector<int64_t> parse_id_list(const std::string& spec, int64_t limit, const std::string& what);

}  // namespace gnnx::tools
