#pragma once
// Molecule files: CSV/TSV with a SMILES column and label columns, SDF with property fields, and
// .smi (SMILES [white space id] per line). A record RDKit cannot parse is never dropped
// silently: it is listed in MoleculeSet::skipped with its line, its SMILES and RDKit's reason.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace RDKit {
class ROMol;
}

namespace gnnx::molecules {

/// One parsed record.
struct MoleculeRecord {
  int64_t index = 0;   ///< 0-based position among the file's records (parsed or not)
  int64_t line = 0;    ///< 1-based line where the record starts
  std::string id;      ///< id column / SDF title / .smi name; the index when there is none
  std::string smiles;  ///< as written in the file (SDF: RDKit's canonical SMILES)
  std::shared_ptr<const RDKit::ROMol> mol;
  std::vector<double> labels;      ///< one per task; NaN where missing
  std::vector<uint8_t> has_label;  ///< one per task: 1 = labelled, 0 = missing
  /// CSV/TSV: the text of ReadOptions::keep_columns, in that order ("" for a column the file
  /// lacks: MoleculeSet::columns tells which it has).
  std::vector<std::string> kept;
};

/// A record that could not be read.
struct SkippedRecord {
  int64_t index = 0;
  int64_t line = 0;
  std::string id;
  std::string smiles;  ///< SDF: the record's title
  std::string reason;  ///< RDKit's reason, or the reader's ("label 'x' is not a number")
};

struct MoleculeSet {
  std::vector<std::string> tasks;       ///< the label columns / properties, in order
  std::vector<MoleculeRecord> records;  ///< parsed records, in file order
  std::vector<SkippedRecord> skipped;   ///< unreadable records, in file order
  int64_t num_records = 0;              ///< records in the file (parsed + skipped + unselected)
  std::vector<std::string> columns;     ///< CSV/TSV: the header's column names; else empty
};

/// How to read a molecule file. Plain aggregate; validated by read_molecules().
struct ReadOptions {
  /// CSV/TSV: the SMILES column (matched case-insensitively when there is no exact match).
  std::string smiles_column = "smiles";
  /// CSV/TSV columns or SDF properties holding labels. Empty fields, "nan" and "NA" are
  /// missing labels; anything else must be a number.
  std::vector<std::string> label_columns;
  /// CSV/TSV: the id column (default: none, the record index is the id).
  std::string id_column;
  /// CSV/TSV: columns whose text each parsed record keeps (MoleculeRecord::kept), matched like
  /// the SMILES column; a column the file lacks is not an error (its text is ""). For data a
  /// caller reads beside the molecules, e.g. a benchmark's ground truth (ground_truth_columns.h).
  std::vector<std::string> keep_columns;
  /// Format: "csv", "tsv", "smi", "sdf", or "" to choose by extension (.csv, .tsv/.txt, .smi/.can,
  /// .sdf/.mol, each optionally followed by .gz; required for standard input). Gzipped files (found
  /// by their magic bytes) are read decompressed; a UTF-8 byte order mark at the start is skipped.
  std::string format;
  /// Only records with index % shard_count == shard_index are parsed (the others are counted
  /// but neither parsed nor listed): N processes with shard_index 0..N-1 cover the file once.
  int64_t shard_index = 0;
  int64_t shard_count = 1;
};

/// Reads `path`; "-" reads standard input (gzipped or not; options.format is then required).
/// Throws InputError for an unreadable file, an unknown format, a missing column
/// (listing the columns there are) or bad shard numbers; never for a bad record.
///
/// Example:
///   ReadOptions o;
///   o.label_columns = {"p_np"};
///   MoleculeSet bbbp = read_molecules("BBBP.csv", o);  // 2039 records, 11 skipped
MoleculeSet read_molecules(const std::string& path, const ReadOptions& options);

/// "2039 read, 11 skipped" and, for each skipped record, "  line 61: <SMILES>: <reason>"
/// (at most `max_listed` of them, then "  ... and K more").
std::string skipped_report(const MoleculeSet& set, int64_t max_listed = 20);

}  // namespace gnnx::molecules
