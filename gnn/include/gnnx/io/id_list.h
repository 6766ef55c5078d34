#pragma once
// Target lists: "all", "7", "1,5,9", Python-style ranges "400:700:5" and "400:700", and
// comma-separated mixes of these ("0:10,42"). The command line's --nodes / --graphs and the
// explainer option --fit-targets read them: the syntax is checked when the text is read
// (id_list_problem), the ids against the data set once it is known (parse_id_list).

#include <cstdint>
#include <string>
#include <vector>

namespace gnnx::io {

/// What is wrong with `spec` as a target list whatever the data set ("'x' is not an id, a list
/// or a range a:b[:step]", "'5:3' selects nothing"), or "" when nothing is.
std::string id_list_problem(const std::string& spec);

/// Parses `spec` into ids in [0, limit). Throws InputError naming `what` and the offending part
/// for a malformed spec, an id out of range or an id listed more than once.
std::vector<int64_t> parse_id_list(const std::string& spec, int64_t limit, const std::string& what);

}  // namespace gnnx::io
