#include <gnnx/io/text.h>

namespace gnnx::io {

std::vector<std::string> split_list(std::string_view text, char delimiter, EmptyItems empty) {
  std::vector<std::string> items;
  if (text.empty()) return items;
  size_t begin = 0;
  while (true) {
    const size_t end = text.find(delimiter, begin);
    const std::string_view item =
        text.substr(begin, end == std::string_view::npos ? end : end - begin);
    if (!item.empty() || empty == EmptyItems::kKeep) items.emplace_back(item);
    if (end == std::string_view::npos) return items;
    begin = end + 1;
  }
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::string trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return "";
  return std::string(text.substr(begin, text.find_last_not_of(kSpace) - begin + 1));
}

}  // namespace gnnx::io
