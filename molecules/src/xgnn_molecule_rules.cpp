#include "drawer.h"

#include "quiet_sanitize.h"

#include <GraphMol/MolDraw2D/MolDraw2D.h>
#include <GraphMol/MolOps.h>
#include <GraphMol/PeriodicTable.h>
#include <GraphMol/RWMol.h>
#include <GraphMol/SmilesParse/SmilesWrite.h>
#include <RDGeneral/RDLog.h>
#include <gnnx/gnn/error.h>
#include <gnnx/molecules/parse.h>
#include <gnnx/molecules/xgnn_molecule_rules.h>

#include <algorithm>

namespace gnnx::molecules {

std::unique_ptr<RDKit::RWMol> single_bond_molecule(const std::vector<std::string>& elements,
                                                   const BondList& bonds) {
  auto mol = std::make_unique<RDKit::RWMol>();
  const RDKit::PeriodicTable* table = RDKit::PeriodicTable::getTable();
  for (const auto& symbol : elements) {
    int number = 0;
    try {
      number = table->getAtomicNumber(symbol);
    } catch (...) {
      number = 0;
    }
    if (number <= 0) throw InputError("xgnn molecule: unknown element '" + symbol + "'");
    mol->addAtom(new RDKit::Atom(number), /*updateLabel=*/false, /*takeOwnership=*/true);
  }
  const auto n = static_cast<int64_t>(elements.size());
  for (const auto& b : bonds) {
    if (b[0] < 0 || b[1] < 0 || b[0] >= n || b[1] >= n || b[0] == b[1]) {
      throw InputError("xgnn molecule: bond " + std::to_string(b[0]) + "-" + std::to_string(b[1]) +
                       " is not between two of the " + std::to_string(n) + " atoms");
    }
    mol->addBond(static_cast<unsigned>(b[0]), static_cast<unsigned>(b[1]), RDKit::Bond::SINGLE);
  }
  return mol;
}

namespace {

std::unique_ptr<RDKit::RWMol> sanitized_molecule(const std::vector<std::string>& elements,
                                                 const BondList& bonds) {
  std::unique_ptr<RDKit::RWMol> mol = single_bond_molecule(elements, bonds);
  const std::string problem = detail::sanitize_quietly(*mol);
  if (!problem.empty()) throw InputError("xgnn molecule does not sanitise: " + problem);
  return mol;
}

}  // namespace

std::string sanitization_problem(const std::vector<std::string>& elements, const BondList& bonds) {
  std::unique_ptr<RDKit::RWMol> mol = single_bond_molecule(elements, bonds);
  // Every bond is single, so an atom's degree is its valence. RDKit also accepts the
  // hypervalent states of N, Cl, Br and I (I with 3, 5 bonds); no MUTAG molecule has one
  // (halogens are terminal, N has at most 3 and O at most 2 neighbours), the classifier has
  // never seen one, and the generator exploited them (README). Checked first: it is cheap.
  const RDKit::PeriodicTable* table = RDKit::PeriodicTable::getTable();
  for (const RDKit::Atom* atom : mol->atoms()) {
    const int limit = table->getDefaultValence(atom->getAtomicNum());
    const auto degree = static_cast<int>(atom->getDegree());
    if (limit >= 0 && degree > limit) {
      return "atom #" + std::to_string(atom->getIdx()) + " " + atom->getSymbol() + " has " +
             std::to_string(degree) + " bonds, above its default valence " + std::to_string(limit) +
             " (hypervalent)";
    }
  }
  return detail::sanitize_quietly(*mol);
}

bool molecule_sanitizes(const std::vector<std::string>& elements, const BondList& bonds) {
  return sanitization_problem(elements, bonds).empty();
}

std::string generated_smiles(const std::vector<std::string>& elements, const BondList& bonds) {
  return RDKit::MolToSmiles(*sanitized_molecule(elements, bonds));
}

gnn::Graph featurize_generated(const std::vector<std::string>& elements, const BondList& bonds,
                               const FeaturizerOptions& options) {
  return featurize(*sanitized_molecule(elements, bonds), options).graph;
}

std::string draw_molecule_grid(const std::vector<std::string>& smiles,
                               const std::vector<std::string>& legends, int columns,
                               ImageFormat format, int panel_width, int panel_height) {
  if (smiles.empty()) throw InputError("molecule grid: no molecule to draw");
  if (legends.size() != smiles.size()) {
    throw InputError("molecule grid: " + std::to_string(legends.size()) + " legends for " +
                     std::to_string(smiles.size()) + " molecules");
  }
  if (columns < 1 || panel_width < 50 || panel_height < 50) {
    throw InputError("molecule grid: columns must be >= 1 and panels at least 50 x 50 pixels");
  }
  std::vector<std::unique_ptr<RDKit::ROMol>> owned;
  std::vector<RDKit::ROMol*> mols;
  for (const auto& s : smiles) {
    owned.push_back(smiles_to_mol(s));
    mols.push_back(owned.back().get());
  }
  const int count = static_cast<int>(smiles.size());
  const int cols = std::min(columns, count);
  const int rows = (count + cols - 1) / cols;
  const int width = cols * panel_width, height = rows * panel_height;
  const auto drawer = detail::make_drawer(format, width, height, panel_width, panel_height);
  drawer->drawOptions().legendFontSize = 14;
  drawer->drawMolecules(mols, &legends);
  return detail::finish_drawing(*drawer, format);
}

}  // namespace gnnx::molecules
