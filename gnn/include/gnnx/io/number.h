#pragma once
// Strict number parsing for files and flags: the whole text must be the number, as
// std::from_chars reads it. "12" is 12; " 5", "5 ", "+5", "0x10", "1e3" (as an integer), "12abc"
// and "" are not numbers; "-1" is not an unsigned number; a value outside the type's range is an
// error, never wrapped or clamped. Callers whose format allows surrounding spaces trim first
// (io::trim), so that a file's stray characters are never read as part of a number silently.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gnnx::io {

/// Whether NaN and infinities ("nan", "inf", "infinity", any case) are numbers.
enum class NonFinite { kReject, kAllow };

/// The integer `text` spells (base 10, optional leading '-' for signed types), or nullopt when
/// it spells none or one outside T's range. T: int, int64_t or uint64_t.
/// Example: to_integer<int64_t>("-3") == -3; to_integer<uint64_t>("-1") == std::nullopt.
template <typename T>
std::optional<T> to_integer(std::string_view text);

/// The number `text` spells (decimal or scientific notation, as std::from_chars' general
/// format), or nullopt. NaN and infinities only with NonFinite::kAllow.
std::optional<double> to_double(std::string_view text, NonFinite non_finite = NonFinite::kReject);

/// to_integer<int64_t>, throwing InputError "<what>: '<text>' is not an integer" (or "... is
/// out of range" for a well-formed integer that does not fit).
int64_t parse_int64(std::string_view text, const std::string& what);

/// to_integer<uint64_t>, throwing InputError "<what>: '<text>' is not a non-negative integer"
/// (or "... is out of range").
uint64_t parse_uint64(std::string_view text, const std::string& what);

/// to_double, throwing InputError "<what>: '<text>' is not a number" (or "... is not a finite
/// number" for NaN and infinities under NonFinite::kReject).
double parse_double(std::string_view text, const std::string& what,
                    NonFinite non_finite = NonFinite::kReject);

}  // namespace gnnx::io
