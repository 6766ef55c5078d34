#include <gnnx/gnn/error.h>
#include <gnnx/io/id_list.h>
#include <gnnx/io/number.h>
#include <gnnx/io/text.h>

#include <algorithm>
#include <optional>

namespace gnnx::io {
namespace {

/// One comma-separated part: a single id, or the ids begin, begin + step, ... below end.
struct IdRange {
  int64_t begin = 0;
  int64_t end = 0;
  int64_t step = 1;
  bool single = false;

  bool empty() const { return !single && begin >= end; }
};

/// The ranges of a spec other than "all"; on a syntax error, none and the problem.
std::vector<IdRange> parse_ranges(const std::string& spec, std::string& problem) {
  std::vector<IdRange> ranges;
  bool selects = false;
  for (const std::string& part : split_list(spec, ',', io::EmptyItems::kKeep)) {
    const std::vector<std::string> fields = split_list(part, ':', io::EmptyItems::kKeep);
    std::vector<int64_t> values;
    for (const auto& field : fields) {
      const std::optional<int64_t> v = to_integer<int64_t>(field);
      if (!v) break;
      values.push_back(*v);
    }
    if (fields.empty() || fields.size() > 3 || values.size() != fields.size()) {
      problem = "'" + part + "' is not an id, a list or a range a:b[:step]";
      return {};
    }
    IdRange r;
    r.begin = values[0];
    r.single = values.size() == 1;
    if (!r.single) r.end = values[1];
    if (values.size() == 3) r.step = values[2];
    if (r.step <= 0) {
      problem = "step in '" + part + "' must be positive";
      return {};
    }
    selects = selects || !r.empty();
    ranges.push_back(r);
  }
  if (!selects) {
    problem = "'" + spec + "' selects nothing";
    return {};
  }
  return ranges;
}

/// The first id of `r` outside [0, limit), if any. Ranges are checked before they are
/// expanded, so that "0:99999999999" fails at once rather than after filling memory.
std::optional<int64_t> first_out_of_range(const IdRange& r, int64_t limit) {
  if (r.empty()) return std::nullopt;
  if (r.begin < 0 || r.begin >= limit) return r.begin;
  if (r.single) return std::nullopt;
  // 0 <= begin < end: neither difference below overflows.
  const int64_t last = r.begin + (r.end - 1 - r.begin) / r.step * r.step;
  if (last < limit) return std::nullopt;
  return r.begin + ((limit - r.begin - 1) / r.step + 1) * r.step;  // <= last
}

/// Appends the ids of `r`, all in [0, limit) by now, without stepping past INT64_MAX.
void expand(const IdRange& r, std::vector<int64_t>& ids) {
  if (r.empty()) return;
  for (int64_t i = r.begin;; i += r.step) {
    ids.push_back(i);
    if (r.single || r.end - i <= r.step) return;
  }
}

}  // namespace

std::string id_list_problem(const std::string& spec) {
  if (spec == "all") return "";
  std::string problem;
  parse_ranges(spec, problem);
  return problem;
}

std::vector<int64_t> parse_id_list(const std::string& spec, int64_t limit,
                                   const std::string& what) {
  std::vector<int64_t> ids;
  if (spec == "all") {
    for (int64_t i = 0; i < limit; ++i) ids.push_back(i);
    return ids;
  }
  std::string problem;
  const std::vector<IdRange> ranges = parse_ranges(spec, problem);
  if (!problem.empty()) throw InputError(what + ": " + problem);
  for (const IdRange& r : ranges) {
    if (const auto bad = first_out_of_range(r, limit)) {
      throw InputError(what + ": " + std::to_string(*bad) + " is out of range [0, " +
                       std::to_string(limit) + ")");
    }
  }
  for (const IdRange& r : ranges) expand(r, ids);
  // A target listed twice would be explained twice and counted twice in every average.
  std::vector<int64_t> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  const auto twice = std::adjacent_find(sorted.begin(), sorted.end());
  if (twice != sorted.end()) {
    const auto times = std::count(sorted.begin(), sorted.end(), *twice);
    throw InputError(what + ": " + std::to_string(*twice) + " is listed " + std::to_string(times) +
                     " times (list each target once)");
  }
  return ids;
}

}  // namespace gnnx::io
