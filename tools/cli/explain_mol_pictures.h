#pragma once
// The pictures of `gnnx explain-mol --input`: the grid of the first molecules (one colour scale
// for all panels unless --grid-scale panel) and the file names of --render-dir (the record's
// --id-col value when given, else its index).

#include "cli/explain_mol_args.h"
#include "cli/explain_mol_truth.h"

#include <gnnx/molecules/molecule_explainer.h>

#include <set>
#include <string>
#include <vector>

namespace gnnx::tools {

/// The --grid picture of `records` (each with an explanation), in order, `--grid-columns` per
/// row; with `truths` (--show-truth) each cell is the explanation and its truth panel. Throws
/// InputError for an unknown --grid-scale (CLI11 refuses it before).
std::string draw_explanation_grid(const ExplainMolArgs& args,
                                  const molecules::MoleculeExplainer& explainer,
                                  const std::vector<const molecules::RecordExplanation*>& records,
                                  molecules::ImageFormat format,
                                  const RecordTruths* truths = nullptr);

/// The --render-dir drawing of a record (with an explanation); with `truths`, beside its truth.
std::string draw_record(const ExplainMolArgs& args, const molecules::MoleculeExplainer& explainer,
                        const molecules::RecordExplanation& record, molecules::ImageFormat format,
                        const RecordTruths* truths = nullptr);

/// The --render-dir file name (without the directory) of a record: with --id-col its id, made
/// safe for a file name (characters other than letters, digits, '.', '_' and '-' become '_', at
/// most 100 of them, no leading '.'), with "_<index>" appended when an earlier record of the
/// run took the name (`used` remembers them); the index otherwise or for an empty id.
std::string render_file_name(const ExplainMolArgs& args, const molecules::RecordExplanation& rec,
                             std::set<std::string>& used);

}  // namespace gnnx::tools
