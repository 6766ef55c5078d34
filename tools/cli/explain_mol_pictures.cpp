#include "cli/explain_mol_pictures.h"

#include <gnnx/gnn/error.h>

#include <GraphMol/ROMol.h>

#include <cctype>

namespace gnnx::tools {

std::string draw_explanation_grid(const ExplainMolArgs& args,
                                  const molecules::MoleculeExplainer& explainer,
                                  const std::vector<const molecules::RecordExplanation*>& records,
                                  molecules::ImageFormat format, const RecordTruths* truths) {
  if (args.grid_scale != "shared" && args.grid_scale != "panel") {
    throw InputError("--grid-scale must be shared or panel, not '" + args.grid_scale + "'");
  }
  molecules::DrawOptions base = draw_options(args);
  if (args.grid_scale == "shared") {
    // One colour scale over every panel's atoms and bonds: a colour means one value.
    std::vector<const std::vector<double>*> values;
    for (const molecules::RecordExplanation* rec : records) {
      values.push_back(&rec->explanation->atoms);
      values.push_back(&rec->explanation->bonds);
    }
    molecules::share_colour_scale(values, base);
  }
  std::vector<std::string> panels;
  for (const molecules::RecordExplanation* rec : records) {
    molecules::DrawOptions o = base;
    o.legend = "#" + std::to_string(rec->index) + " " + rec->id + " | " + rec->explanation->legend;
    if (truths != nullptr) o.truth = truth_panel(truths->at(rec->index));
    panels.push_back(explainer.draw(*rec->record->mol, *rec->explanation, format, o));
  }
  return molecules::draw_grid(panels, args.grid_columns, format);
}

std::string draw_record(const ExplainMolArgs& args, const molecules::MoleculeExplainer& explainer,
                        const molecules::RecordExplanation& record, molecules::ImageFormat format,
                        const RecordTruths* truths) {
  molecules::DrawOptions o = draw_options(args);
  if (truths != nullptr) o.truth = truth_panel(truths->at(record.index));
  return explainer.draw(*record.record->mol, *record.explanation, format, o);
}

std::string render_file_name(const ExplainMolArgs& args, const molecules::RecordExplanation& rec,
                             std::set<std::string>& used) {
  const std::string index = std::to_string(rec.index);
  std::string stem;
  if (!args.id_col.empty()) {
    for (char c : rec.id.substr(0, 100)) {
      const bool safe =
          std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
      stem += safe ? c : '_';
    }
    if (!stem.empty() && stem[0] == '.') stem[0] = '_';
  }
  if (stem.empty()) stem = index;
  if (!used.insert(stem).second) {
    stem += "_" + index;
    used.insert(stem);
  }
  return stem + "." + args.render_format;
}

}  // namespace gnnx::tools
