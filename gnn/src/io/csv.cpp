#include <gnnx/gnn/error.h>
#include <gnnx/io/csv.h>

#include <sstream>

namespace gnnx::io {

CsvReader::CsvReader(std::istream& in, std::string name, char delimiter)
    : in_(in), name_(std::move(name)), delimiter_(delimiter) {}

std::optional<CsvRecord> CsvReader::next() {
  std::string line;
  // The first line with more than blanks starts the record.
  while (true) {
    if (!std::getline(in_, line)) return std::nullopt;
    ++line_;
    if (line.find_first_not_of(" \t\r") != std::string::npos) break;
  }
  CsvRecord record;
  record.line = line_;
  std::string field;
  bool quoted = false;
  while (true) {
    for (size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (quoted) {
        if (c != '"') {
          field += c;
        } else if (i + 1 < line.size() && line[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == delimiter_) {
        record.fields.push_back(std::move(field));
        field.clear();
      } else if (c != '\r') {
        field += c;
      }
    }
    if (!quoted) break;
    // A line break inside quotes belongs to the field.
    if (!std::getline(in_, line)) {
      throw InputError(name_ + ":" + std::to_string(record.line) + ": unterminated quoted field");
    }
    ++line_;
    field += '\n';
  }
  record.fields.push_back(std::move(field));
  return record;
}

std::string csv_field(const std::string& value, char delimiter) {
  if (value.find_first_of(std::string{delimiter, '"', '\n', '\r'}) == std::string::npos) {
    return value;
  }
  std::string quoted = "\"";
  for (char c : value) quoted += c == '"' ? "\"\"" : std::string(1, c);
  return quoted + "\"";
}

std::vector<CsvRecord> read_csv(const std::string& text, const std::string& name, char delimiter) {
  std::istringstream in(text);
  CsvReader reader(in, name, delimiter);
  std::vector<CsvRecord> records;
  while (auto record = reader.next()) records.push_back(std::move(*record));
  return records;
}

}  // namespace gnnx::io
