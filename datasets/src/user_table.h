#pragma once
// The delimited files of a user's graph (graph_files.cpp): one table per file, its delimiter
// guessed from the first line, an optional header row, fields trimmed, every row knowing its
// line so that errors can name "<file>:<line>". Private to gnnx_datasets.

#include <gnnx/io/csv.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gnnx::datasets::detail {

/// One file of a user's graph, read.
struct UserTable {
  std::string path;
  std::optional<io::CsvRecord> header;  ///< the first row, when it was taken for a header
  std::vector<io::CsvRecord> rows;      ///< the data rows, fields trimmed

  /// "<path>:<line>", the start of every message about `row`.
  std::string where(const io::CsvRecord& row) const;
  /// The name of column `k` for messages: "column 3 ('degree')" with a header, else "column 3"
  /// (1-based).
  std::string column(size_t k) const;
};

/// Reads `path` (plain or gzipped). The delimiter is a tab when the first non-blank line holds
/// a tab and no comma, a comma otherwise. The first row is a header when `is_header(fields)`
/// says so. Throws InputError "<path>: empty file (no data rows)" for a file without data rows,
/// and "<path>:<line>: <n> fields, expected <what>" for a row whose field count is outside
/// [min_fields, max_fields] (the header included).
UserTable read_user_table(const std::string& path, size_t min_fields, size_t max_fields,
                          const std::string& what,
                          const std::function<bool(const std::vector<std::string>&)>& is_header);

/// Whether `text` is a base-10 integer (io::to_integer<int64_t>).
bool is_integer(const std::string& text);

/// The node id in `text`, in [0, num_nodes) (num_nodes < 0: any non-negative id). Throws
/// InputError "<where>: node 'x' is not a non-negative integer" or "<where>: node 12 does not
/// exist: <nodes_from> has 10 nodes (ids 0..9)".
int64_t parse_node(const std::string& text, int64_t num_nodes, const std::string& where,
                   const std::string& nodes_from);

}  // namespace gnnx::datasets::detail
