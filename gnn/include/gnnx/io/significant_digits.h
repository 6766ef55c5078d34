#pragma once
// Real numbers written with at most N significant digits, alone (CSV fields) or throughout a JSON
// document. A score's last digits are noise from the order of floating-point sums (batching,
// threads), and 17 digits make explanation files three times larger than 6 do.
//
// Why not nlohmann's dump() of a rounded double: it prints with Grisu2, which reads back exactly
// but is not always the shortest text; about one value in a thousand rounded to 6 digits comes out
// with 17 (2.42e-27 as 2.4200000000000002e-27). std::to_chars is shortest by contract.

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace gnnx::io {

/// The double nearest to `value` rounded to `digits` significant decimal digits (1..17);
/// NaN and infinities unchanged. Throws c10::Error for digits outside 1..17.
/// Example: round_significant(0.123456789, 6) == 0.123457.
double round_significant(double value, int digits);

/// round_significant(value, digits) in the fewest characters that read back as it (std::to_chars'
/// shortest form, so at most `digits` significant digits): "0.123457", "1e-07", "0", "-2.5";
/// "nan", "inf" and "-inf" for the non-finite.
std::string significant_text(double value, int digits);

/// `j` as compact JSON text (as j.dump()), every real number written as significant_text(v,
/// digits) (non-finite ones as null, as dump() does). Integers, strings and keys are unchanged.
/// Example: dump_significant({{"p", 0.123456789}, {"n", 3}}, 3) == R"({"p":0.123,"n":3})".
std::string dump_significant(const nlohmann::ordered_json& j, int digits);

}  // namespace gnnx::io
