#pragma once
// Small text helpers shared by the readers and the command line: delimited lists and trimming.

#include <string>
#include <string_view>
#include <vector>

namespace gnnx::io {

/// Whether split_list keeps the empty items of "a,,b" and "a,".
enum class EmptyItems { kSkip, kKeep };

/// The items of a delimited list. Empty text gives no items; otherwise kKeep gives one more
/// item than there are delimiters ("a,,b" -> {"a", "", "b"}; "a," -> {"a", ""}) and kSkip leaves
/// the empty ones out ("a,,b," -> {"a", "b"}). Items are not trimmed.
/// Example: split_list("C,N,O") == {"C", "N", "O"}.
std::vector<std::string> split_list(std::string_view text, char delimiter = ',',
                                    EmptyItems empty = EmptyItems::kSkip);

/// The items with `separator` between them: join({"a", "b"}) == "a,b".
std::string join(const std::vector<std::string>& items, std::string_view separator = ",");

/// `text` without leading and trailing spaces, tabs, carriage returns and newlines.
std::string trim(std::string_view text);

}  // namespace gnnx::io
