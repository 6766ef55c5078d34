#include "user_table.h"

#include <gnnx/gnn/error.h>
#include <gnnx/io/gzip.h>
#include <gnnx/io/number.h>
#include <gnnx/io/text.h>

namespace gnnx::datasets::detail {
namespace {

char guess_delimiter(const std::string& text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(pos, end - pos);
    if (line.find_first_not_of(" \t\r") != std::string::npos) {
      return line.find('\t') != std::string::npos && line.find(',') == std::string::npos ? '\t'
                                                                                         : ',';
    }
    pos = end + 1;
  }
  return ',';
}

}  // namespace

std::string UserTable::where(const io::CsvRecord& row) const {
  return path + ":" + std::to_string(row.line);
}

std::string UserTable::column(size_t k) const {
  std::string name = "column " + std::to_string(k + 1);
  if (header && k < header->fields.size()) name += " ('" + header->fields[k] + "')";
  return name;
}

UserTable read_user_table(const std::string& path, size_t min_fields, size_t max_fields,
                          const std::string& what,
                          const std::function<bool(const std::vector<std::string>&)>& is_header) {
  const std::string text = io::read_text_file(path);
  UserTable table;
  table.path = path;
  for (io::CsvRecord& record : io::read_csv(text, path, guess_delimiter(text))) {
    for (std::string& field : record.fields) field = io::trim(field);
    if (record.fields.size() < min_fields || record.fields.size() > max_fields) {
      throw InputError(table.where(record) + ": " + std::to_string(record.fields.size()) +
                       " field(s), expected " + what);
    }
    if (!table.header && table.rows.empty() && is_header(record.fields)) {
      table.header = std::move(record);
    } else {
      table.rows.push_back(std::move(record));
    }
  }
  if (table.rows.empty()) throw InputError(path + ": empty file (no data rows)");
  return table;
}

bool is_integer(const std::string& text) { return io::to_integer<int64_t>(text).has_value(); }

int64_t parse_node(const std::string& text, int64_t num_nodes, const std::string& where,
                   const std::string& nodes_from) {
  const auto id = io::to_integer<int64_t>(text);
  if (!id || *id < 0) {
    throw InputError(where + ": node '" + text +
                     "' is not a non-negative integer (node ids are 0-based)");
  }
  if (num_nodes >= 0 && *id >= num_nodes) {
    throw InputError(where + ": node " + std::to_string(*id) + " does not exist: " + nodes_from +
                     " has " + std::to_string(num_nodes) + " nodes (ids 0.." +
                     std::to_string(num_nodes - 1) + ")");
  }
  return *id;
}

}  // namespace gnnx::datasets::detail
