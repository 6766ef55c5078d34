#pragma once
// `gnnx explain-mol --input FILE --show-truth`: the ground truth of each record, read from the
// file's benchmark columns (molecules/ground_truth_columns.h: Mutagenicity's or graph
// attribution's), drawn beside each explanation and written to the JSON lines.

#include <gnnx/molecules/draw.h>
#include <gnnx/molecules/ground_truth_columns.h>
#include <gnnx/molecules/readers.h>

#include <cstdint>
#include <map>
#include <string>

namespace gnnx::tools {

/// Each parsed record's ground truth, by record index (MoleculeRecord::index).
using RecordTruths = std::map<int64_t, molecules::MoleculeTruth>;

/// The ground truth of every parsed record of `set` (read with truth_column_names() as
/// ReadOptions::keep_columns). Throws InputError, before any work is done, for a file without
/// either layout's columns (naming those missing) or a record whose fields are malformed or
/// disagree with its SMILES (naming the line).
RecordTruths read_record_truths(const molecules::MoleculeSet& set, const std::string& path);

/// The truth panel of a record's drawing.
molecules::TruthPanel truth_panel(const molecules::MoleculeTruth& truth);

}  // namespace gnnx::tools
