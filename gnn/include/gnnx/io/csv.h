#pragma once
// Delimited text (CSV, TSV) with RFC 4180 quoting, read and written: a field in double quotes
// may hold the delimiter, line breaks and "" for one quote. Where RFC 4180 is silent the reader
// is lenient, as the molecule readers always were: a quote inside an unquoted field also opens a
// quoted section (a"b,c"d is one field, ab,cd), a carriage return outside quotes is dropped
// (CRLF files), and lines holding only spaces and tabs are no records.

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace gnnx::io {

/// One record: its fields (unquoted, not trimmed) and the line it starts on (1-based).
struct CsvRecord {
  std::vector<std::string> fields;
  int64_t line = 0;
};

/// Reads the records of a delimited stream one at a time, counting lines so that errors and
/// callers can name them.
///
/// Example:
///   std::istringstream in("id,name\n1,\"Smith, J.\"\n");
///   CsvReader reader(in, "people.csv");
///   while (auto record = reader.next()) use(record->fields, record->line);
class CsvReader {
 public:
  /// `name` (a file name) starts the messages of the InputErrors next() throws.
  CsvReader(std::istream& in, std::string name, char delimiter = ',');

  /// The next record, nullopt at the end. Throws InputError "<name>:<line>: unterminated quoted
  /// field" when the stream ends inside quotes (naming the line the record starts on).
  std::optional<CsvRecord> next();

 private:
  std::istream& in_;
  std::string name_;
  char delimiter_;
  int64_t line_ = 0;  ///< lines read so far
};

/// `value` as one CSV field: as it is, or in double quotes with every quote doubled when it holds
/// the delimiter, a quote or a line break. CsvReader reads it back as `value`.
/// Example: csv_field("[C,N]") == "\"[C,N]\"".
std::string csv_field(const std::string& value, char delimiter = ',');

/// The records of `text`, as CsvReader reads them.
std::vector<CsvRecord> read_csv(const std::string& text, const std::string& name,
                                char delimiter = ',');

}  // namespace gnnx::io
