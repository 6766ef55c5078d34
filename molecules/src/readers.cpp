// Molecule file readers. Records are numbered in file order whether or not they parse, so that
// shards and error reports name the same records as a single run.

#include <GraphMol/ROMol.h>
#include <gnnx/gnn/error.h>
#include <gnnx/io/csv.h>
#include <gnnx/io/gzip.h>
#include <gnnx/io/number.h>
#include <gnnx/io/text.h>
#include <gnnx/molecules/parse.h>
#include <gnnx/molecules/readers.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>

namespace gnnx::molecules {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string format_of(const std::string& path, const std::string& requested) {
  if (!requested.empty()) {
    std::string f = lower(requested);
    if (f != "csv" && f != "tsv" && f != "smi" && f != "sdf") {
      throw InputError("unknown molecule file format '" + requested +
                       "' (valid: csv, tsv, smi, sdf)");
    }
    return f;
  }
  if (path == "-") {
    throw InputError(
        "standard input (-) has no file name to tell its format by: pass the format (csv, tsv, "
        "smi or sdf; gnnx explain-mol --format)");
  }
  std::string p = lower(path);
  if (ends_with(p, ".gz")) p.resize(p.size() - 3);  // x.csv.gz: the format of x.csv
  if (ends_with(p, ".csv")) return "csv";
  if (ends_with(p, ".tsv") || ends_with(p, ".txt")) return "tsv";
  if (ends_with(p, ".smi") || ends_with(p, ".can") || ends_with(p, ".smiles")) return "smi";
  if (ends_with(p, ".sdf") || ends_with(p, ".mol") || ends_with(p, ".sd")) return "sdf";
  throw InputError("cannot tell the format of '" + path +
                   "' from its extension (.csv, .tsv, .smi, .sdf): pass the format explicitly");
}

/// A label field: nullopt when missing; throws std::invalid_argument when not a number.
std::optional<double> parse_label(const std::string& raw) {
  const std::string s = io::trim(raw);
  const std::string l = lower(s);
  if (s.empty() || l == "nan" || l == "na" || l == "n/a" || l == "none") return std::nullopt;
  const std::optional<double> v = io::to_double(s);
  if (!v) throw std::invalid_argument(s);
  return v;
}

/// Records of one read, with the shard filter and the bookkeeping shared by every format.
class Collector {
 public:
  Collector(MoleculeSet& set, const ReadOptions& options) : set_(set), options_(options) {}

  /// Whether the next record (index set_.num_records) belongs to this shard; counts it.
  bool next_selected() {
    index_ = set_.num_records++;
    return index_ % options_.shard_count == options_.shard_index;
  }

  void skip(int64_t line, const std::string& id, const std::string& smiles,
            const std::string& reason) {
    set_.skipped.push_back(
        {index_, line, id.empty() ? std::to_string(index_) : id, smiles, reason});
  }

  void add(int64_t line, const std::string& id, const std::string& smiles, ParseResult parsed,
           const std::vector<std::string>& label_fields,
           std::vector<std::string> kept = std::vector<std::string>()) {
    MoleculeRecord r;
    r.index = index_;
    r.line = line;
    r.id = id.empty() ? std::to_string(index_) : id;
    r.smiles = smiles;
    kept.resize(options_.keep_columns.size());
    r.kept = std::move(kept);
    for (size_t t = 0; t < label_fields.size(); ++t) {
      std::optional<double> v;
      try {
        v = parse_label(label_fields[t]);
      } catch (const std::invalid_argument&) {
        skip(
            line, r.id, smiles,
            "label '" + io::trim(label_fields[t]) + "' of '" + set_.tasks[t] + "' is not a number");
        return;
      }
      r.labels.push_back(v ? *v : std::numeric_limits<double>::quiet_NaN());
      r.has_label.push_back(v ? 1 : 0);
    }
    if (!parsed) {
      skip(line, r.id, smiles, parsed.error);
      return;
    }
    r.mol = std::shared_ptr<const RDKit::ROMol>(std::move(parsed.mol));
    set_.records.push_back(std::move(r));
  }

 private:
  MoleculeSet& set_;
  const ReadOptions& options_;
  int64_t index_ = 0;
};

/// The column called `name` (exactly, else ignoring case), if the header has one.
std::optional<size_t> column_of(const std::vector<std::string>& header, const std::string& name) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (io::trim(header[i]) == name) return i;
  }
  for (size_t i = 0; i < header.size(); ++i) {
    if (lower(io::trim(header[i])) == lower(name)) return i;
  }
  return std::nullopt;
}

size_t find_column(const std::vector<std::string>& header, const std::string& name,
                   const std::string& path, const char* role) {
  if (const std::optional<size_t> c = column_of(header, name)) return *c;
  std::vector<std::string> names;
  names.reserve(header.size());
  for (const auto& h : header) names.push_back(io::trim(h));
  throw InputError("'" + path + "' has no " + role + " column '" + name +
                   "' (columns: " + io::join(names, ", ") + ")");
}

void read_table(std::istream& in, const std::string& path, char delimiter,
                const ReadOptions& options, MoleculeSet& set) {
  io::CsvReader reader(in, path, delimiter);
  const std::optional<io::CsvRecord> header_record = reader.next();
  if (!header_record) throw InputError("'" + path + "' is empty: no header line");
  const std::vector<std::string>& header = header_record->fields;
  const size_t smiles_col = find_column(header, options.smiles_column, path, "SMILES");
  std::vector<size_t> label_cols;
  for (const auto& c : options.label_columns) {
    label_cols.push_back(find_column(header, c, path, "label"));
    set.tasks.push_back(io::trim(header[label_cols.back()]));
  }
  std::optional<size_t> id_col;
  if (!options.id_column.empty()) id_col = find_column(header, options.id_column, path, "id");
  for (const auto& h : header) set.columns.push_back(io::trim(h));
  std::vector<std::optional<size_t>> kept_cols;
  for (const auto& c : options.keep_columns) kept_cols.push_back(column_of(header, c));

  Collector collect(set, options);
  while (const std::optional<io::CsvRecord> record = reader.next()) {
    if (!collect.next_selected()) continue;
    const int64_t line_no = record->line;
    const std::vector<std::string>& fields = record->fields;
    auto field = [&](size_t col) { return col < fields.size() ? fields[col] : std::string(); };
    const std::string smiles = io::trim(field(smiles_col));
    const std::string id = id_col ? io::trim(field(*id_col)) : std::string();
    if (fields.size() < header.size()) {
      collect.skip(line_no, id, smiles,
                   "the line has " + std::to_string(fields.size()) + " fields, the header " +
                       std::to_string(header.size()));
      continue;
    }
    std::vector<std::string> labels;
    labels.reserve(label_cols.size());
    for (size_t c : label_cols) labels.push_back(field(c));
    std::vector<std::string> kept;
    kept.reserve(kept_cols.size());
    for (const auto& c : kept_cols) kept.push_back(c ? field(*c) : std::string());
    collect.add(line_no, id, smiles, parse_smiles(smiles), labels, std::move(kept));
  }
}

void read_smi(std::istream& in, const ReadOptions& options, MoleculeSet& set) {
  std::string line;
  int64_t line_no = 0;
  bool first = true;
  Collector collect(set, options);
  while (std::getline(in, line)) {
    ++line_no;
    const std::string t = io::trim(line);
    if (t.empty() || t[0] == '#') continue;
    std::istringstream fields(t);
    std::string smiles, id;
    fields >> smiles >> id;
    if (first && lower(smiles) == "smiles") {  // a title line
      first = false;
      continue;
    }
    first = false;
    if (!collect.next_selected()) continue;
    collect.add(line_no, id, smiles, parse_smiles(smiles), {});
  }
}

void read_sdf(std::istream& in, const ReadOptions& options, MoleculeSet& set) {
  set.tasks = options.label_columns;
  Collector collect(set, options);
  std::string line;
  int64_t line_no = 0;
  std::vector<std::string> lines;
  int64_t start = 1;
  auto flush = [&] {
    bool blank = true;
    for (const auto& l : lines) blank = blank && io::trim(l).empty();
    if (blank) {
      lines.clear();
      return;
    }
    const bool selected = collect.next_selected();
    if (selected) {
      std::string block, title = io::trim(lines.front());
      std::map<std::string, std::string> props;
      bool in_block = true;
      for (size_t i = 0; i < lines.size(); ++i) {
        if (in_block) {
          block += lines[i] + "\n";
          if (lines[i].rfind("M  END", 0) == 0) in_block = false;
        } else if (!lines[i].empty() && lines[i][0] == '>') {
          const size_t open = lines[i].find('<'), close = lines[i].find('>', open);
          if (open != std::string::npos && close != std::string::npos && i + 1 < lines.size()) {
            props[lines[i].substr(open + 1, close - open - 1)] = io::trim(lines[i + 1]);
          }
        }
      }
      std::vector<std::string> labels;
      std::string missing;
      for (const auto& p : options.label_columns) {
        auto it = props.find(p);
        labels.push_back(it == props.end() ? std::string() : it->second);
      }
      ParseResult parsed = parse_mol_block(block);
      const std::string smiles = parsed ? to_smiles(*parsed.mol) : title;
      collect.add(start, title, smiles, std::move(parsed), labels);
    }
    lines.clear();
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("$$$$", 0) == 0) {
      flush();
      start = line_no + 1;
      continue;
    }
    lines.push_back(line);
  }
  flush();
}

}  // namespace

MoleculeSet read_molecules(const std::string& path, const ReadOptions& options) {
  if (options.shard_count < 1 || options.shard_index < 0 ||
      options.shard_index >= options.shard_count) {
    throw InputError("bad shard " + std::to_string(options.shard_index) + "/" +
                     std::to_string(options.shard_count) + ": need 0 <= i < N");
  }
  const std::string format = format_of(path, options.format);
  // Standard input ("-") and gzip (by its magic bytes, whatever the name) are read whole,
  // decompressed; a plain file is streamed.
  const bool from_stdin = path == "-";
  std::ifstream file;
  bool gzipped = false;
  if (!from_stdin) {
    file.open(path, std::ios::binary);
    if (!file) throw InputError("cannot open molecule file '" + path + "'");
    gzipped = file.get() == 0x1f && file.get() == 0x8b;
    file.clear();
    file.seekg(0);
  }
  std::istringstream whole;
  if (from_stdin) whole.str(io::read_standard_input());
  if (gzipped) whole.str(io::read_text_file(path));
  std::istream& in = from_stdin || gzipped ? static_cast<std::istream&>(whole) : file;
  // A UTF-8 byte order mark (spreadsheet exports write one) is not part of the first field.
  char bom[3] = {};
  in.read(bom, 3);
  if (!(in.gcount() == 3 && bom[0] == '\xEF' && bom[1] == '\xBB' && bom[2] == '\xBF')) {
    in.clear();
    in.seekg(0);
  }
  MoleculeSet set;
  if (format == "csv" || format == "tsv") {
    read_table(in, path, format == "csv" ? ',' : '\t', options, set);
  } else if (format == "smi") {
    if (!options.label_columns.empty()) {
      throw InputError("'" + path +
                       "' is a .smi file, which holds no labels: use a CSV/TSV or SDF");
    }
    read_smi(in, options, set);
  } else {
    read_sdf(in, options, set);
  }
  if (in.bad()) throw InputError("error reading '" + path + "'");
  return set;
}

std::string skipped_report(const MoleculeSet& set, int64_t max_listed) {
  std::ostringstream out;
  out << set.records.size() << " read, " << set.skipped.size() << " skipped";
  int64_t listed = 0;
  for (const auto& s : set.skipped) {
    if (listed == max_listed) {
      out << "\n  ... and " << set.skipped.size() - listed << " more";
      break;
    }
    out << "\n  line " << s.line << ": " << s.smiles << ": " << s.reason;
    ++listed;
  }
  return out.str();
}

}  // namespace gnnx::molecules
