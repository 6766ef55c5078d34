#pragma once
// Target lists on the command line: "all", "7", "1,5,9", Python-style ranges "400:700:5" and
// "400:700", and comma-separated mixes of these ("0:10,42"). The flags check the syntax when
// they are parsed (cli/validators.h: id_list()); the ids are checked against the data set once
// it is known.

#include <cstdint>
#include <string>
#include <vector>

namespace gnnx::tools {

/// What is wrong with `spec` as a target list whatever the data set ("'x' is not an id, a list
/// or a range a:b[:step]", "'5:3' selects nothing"), or "" when nothing is.
std::string id_list_problem(const std::string& spec);

/// Parses `spec` into ids in [0, limit). Throws InputError naming `what` and the offending part
/// for a malformed spec, an id out of range or an id listed more than once.
std::vector<int64_t> parse_id_list(const std::string& spec, int64_t limit, const std::string& what);

}  // namespace gnnx::tools
