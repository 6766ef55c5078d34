#pragma once
// Counting the significant digits of a number's text, for the tests of --precision and
// gnnx/io/significant_digits.h.

#include <algorithm>
#include <string>

namespace gnnx::testing {

/// The significant digits of a number's text: leading zeros, and trailing zeros of the mantissa,
/// do not count. Example: "0.00120" has 2, "-1.5e-07" has 2, "0" has 1.
inline int significant_digits(const std::string& number) {
  std::string digits;
  for (char c : number.substr(0, number.find_first_of("eE"))) {
    if (c >= '0' && c <= '9') digits += c;
  }
  const size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return 1;
  return static_cast<int>(digits.find_last_not_of('0') - first + 1);
}

/// The most significant digits of any number in the JSON arrays named `key` in `json_text`
/// ("key":[1.5,0.25] -> 2): the file's own text, not a reparse.
inline int most_digits_in_arrays(const std::string& json_text, const std::string& key) {
  const std::string opening = "\"" + key + "\":[";
  int most = 0;
  for (size_t at = json_text.find(opening); at != std::string::npos;
       at = json_text.find(opening, at + 1)) {
    const size_t begin = at + opening.size();
    const std::string list = json_text.substr(begin, json_text.find(']', begin) - begin);
    for (size_t start = 0; start < list.size();) {
      const size_t comma = std::min(list.find(',', start), list.size());
      const int digits = significant_digits(list.substr(start, comma - start));
      most = digits > most ? digits : most;
      start = comma + 1;
    }
  }
  return most;
}

}  // namespace gnnx::testing
