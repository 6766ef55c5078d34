#include <gnnx/io/significant_digits.h>

#include <c10/util/Exception.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>

namespace gnnx::io {
namespace {

/// std::to_chars of `value` (shortest round-trip form), or with `precision` significant digits
/// in the general (%g) form; finite values only.
template <typename... Precision>
std::string chars(double value, Precision... precision) {
  char buffer[64];  // 17 digits, sign, point and exponent fit many times over
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, precision...);
  TORCH_INTERNAL_ASSERT(ec == std::errc(), "to_chars failed for ", value);
  return std::string(buffer, end);
}

void check_digits(int digits, const char* function) {
  TORCH_CHECK(digits >= 1 && digits <= 17, function, ": digits must be 1..17, got ", digits);
}

void append(std::string& out, const nlohmann::ordered_json& j, int digits) {
  switch (j.type()) {
    case nlohmann::ordered_json::value_t::object: {
      out += '{';
      const char* separator = "";
      for (auto it = j.begin(); it != j.end(); ++it) {
        out += separator;
        out += nlohmann::ordered_json(it.key()).dump();  // the key, quoted and escaped
        out += ':';
        append(out, it.value(), digits);
        separator = ",";
      }
      out += '}';
      return;
    }
    case nlohmann::ordered_json::value_t::array: {
      out += '[';
      const char* separator = "";
      for (const auto& item : j) {
        out += separator;
        append(out, item, digits);
        separator = ",";
      }
      out += ']';
      return;
    }
    case nlohmann::ordered_json::value_t::number_float: {
      const double value = j.get<double>();
      out += std::isfinite(value) ? significant_text(value, digits) : "null";
      return;
    }
    default:
      out += j.dump();
  }
}

}  // namespace

double round_significant(double value, int digits) {
  check_digits(digits, "round_significant");
  if (!std::isfinite(value)) return value;
  // Printing with `digits` digits rounds correctly (to nearest, ties to even); reading the text
  // back gives the double nearest to that decimal.
  const std::string text = chars(value, std::chars_format::general, digits);
  double rounded = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), rounded);
  // Out of range: rounding carried past the largest double (DBL_MAX to 1 digit is 2e+308).
  return ec == std::errc() ? rounded : value;
}

std::string significant_text(double value, int digits) {
  const double rounded = round_significant(value, digits);
  if (std::isnan(rounded)) return "nan";
  if (std::isinf(rounded)) return rounded > 0 ? "inf" : "-inf";
  return chars(rounded);
}

std::string dump_significant(const nlohmann::ordered_json& j, int digits) {
  check_digits(digits, "dump_significant");
  std::string out;
  append(out, j, digits);
  return out;
}

}  // namespace gnnx::io
