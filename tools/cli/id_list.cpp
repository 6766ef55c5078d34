#include "cli/id_list.h"

#include <gnnx/gnn/error.h>

#include <sstream>

namespace gnnx::tools {
namespace {

int64_t parse_int(const std::string& text, const std::string& part, const std::string& what) {
  size_t used = 0;
  int64_t value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (text.empty() || used != text.size()) {
    throw InputError(what + ": '" + part + "' is not an id, a list or a range a:b[:step]");
  }
  return value;
}

}  // namespace

std::vector<int64_t> parse_id_list(const std::string& spec, int64_t limit,
                                   const std::string& what) {
  std::vector<int64_t> ids;
  if (spec == "all") {
    for (int64_t i = 0; i < limit; ++i) ids.push_back(i);
    return ids;
  }
  std::stringstream parts(spec);
  std::string part;
  while (std::getline(parts, part, ',')) {
    std::vector<std::string> fields;
    std::stringstream pieces(part);
    std::string piece;
    while (std::getline(pieces, piece, ':')) fields.push_back(piece);
    if (!part.empty() && part.back() == ':') fields.push_back("");
    if (fields.size() == 1) {
      ids.push_back(parse_int(fields[0], part, what));
    } else if (fields.size() == 2 || fields.size() == 3) {
      const int64_t begin = parse_int(fields[0], part, what);
      const int64_t end = parse_int(fields[1], part, what);
      const int64_t step = fields.size() == 3 ? parse_int(fields[2], part, what) : 1;
      if (step <= 0) throw InputError(what + ": step in '" + part + "' must be positive");
      for (int64_t i = begin; i < end; i += step) ids.push_back(i);
    } else {
      throw InputError(what + ": '" + part + "' is not an id, a list or a range a:b[:step]");
    }
  }
  if (ids.empty()) throw InputError(what + ": '" + spec + "' selects nothing");
  for (int64_t id : ids) {
    if (id < 0 || id >= limit) {
      throw InputError(what + ": " + std::to_string(id) + " is out of range [0, " +
                       std::to_string(limit) + ")");
    }
  }
  return ids;
}

}  // namespace gnnx::tools
