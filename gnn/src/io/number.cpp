#include <gnnx/gnn/error.h>
#include <gnnx/io/number.h>

#include <charconv>
#include <cmath>
#include <system_error>

namespace gnnx::io {
namespace {

/// std::from_chars over the whole of `text`: its error code, std::errc::invalid_argument when
/// characters are left over.
template <typename T, typename... Format>
std::errc from_whole(std::string_view text, T& value, Format... format) {
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value, format...);
  if (ec != std::errc()) return ec;
  return ptr == end ? std::errc() : std::errc::invalid_argument;
}

[[noreturn]] void fail(const std::string& what, std::string_view text, const char* problem) {
  throw InputError(what + ": '" + std::string(text) + "' " + problem);
}

template <typename T>
T parse_integer(std::string_view text, const std::string& what, const char* not_a_number) {
  T value{};
  const std::errc ec = from_whole(text, value);
  if (ec == std::errc::result_out_of_range) fail(what, text, "is out of range");
  if (ec != std::errc()) fail(what, text, not_a_number);
  return value;
}

}  // namespace

template <typename T>
std::optional<T> to_integer(std::string_view text) {
  T value{};
  if (from_whole(text, value) != std::errc()) return std::nullopt;
  return value;
}

template std::optional<int> to_integer<int>(std::string_view);
template std::optional<int64_t> to_integer<int64_t>(std::string_view);
template std::optional<uint64_t> to_integer<uint64_t>(std::string_view);

std::optional<double> to_double(std::string_view text, NonFinite non_finite) {
  double value = 0;
  if (from_whole(text, value, std::chars_format::general) != std::errc()) return std::nullopt;
  if (non_finite == NonFinite::kReject && !std::isfinite(value)) return std::nullopt;
  return value;
}

int64_t parse_int64(std::string_view text, const std::string& what) {
  return parse_integer<int64_t>(text, what, "is not an integer");
}

uint64_t parse_uint64(std::string_view text, const std::string& what) {
  return parse_integer<uint64_t>(text, what, "is not a non-negative integer");
}

double parse_double(std::string_view text, const std::string& what, NonFinite non_finite) {
  double value = 0;
  const std::errc ec = from_whole(text, value, std::chars_format::general);
  if (ec == std::errc::result_out_of_range) fail(what, text, "is out of range");
  if (ec != std::errc()) fail(what, text, "is not a number");
  if (non_finite == NonFinite::kReject && !std::isfinite(value)) {
    fail(what, text, "is not a finite number");
  }
  return value;
}

}  // namespace gnnx::io
