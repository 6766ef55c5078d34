#pragma once
// Molecules for XGNN (explainers/xgnn.h): a generated graph of typed nodes and undirected edges
// read as atoms joined by single bonds (the reference code's and MUTAG's graph view: the
// classifier sees elements and connectivity only), checked with the elements' default valences
// and RDKit's sanitisation — the valence rule —, written as canonical SMILES, and drawn as one
// RDKit grid with legends.
// Plain types only, so that gnnx::molecules does not depend on gnnx::explainers; the CLI wraps
// molecule_sanitizes() into an xgnn GraphRule.

#include <gnnx/molecules/draw.h>
#include <gnnx/molecules/featurize.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace RDKit {
class RWMol;
}

namespace gnnx::molecules {

using BondList = std::vector<std::array<int64_t, 2>>;

/// Atoms (element symbols) joined by single bonds, hydrogens implicit; not sanitised.
/// Throws InputError for an unknown element or a bond naming a missing atom.
std::unique_ptr<RDKit::RWMol> single_bond_molecule(const std::vector<std::string>& elements,
                                                   const BondList& bonds);

/// "" when no atom has more bonds than its element's default valence (RDKit's PeriodicTable:
/// C 4, N 3, O 2, F Cl Br I 1 — no hypervalent atom, as in every MUTAG molecule) and RDKit
/// sanitises the molecule; else the reason ("atom #1 I has 3 bonds, above its default valence
/// 1 (hypervalent)", or RDKit's). Never writes to RDKit's logs.
std::string sanitization_problem(const std::vector<std::string>& elements, const BondList& bonds);

/// Whether sanitization_problem() finds nothing: the generator's valence rule.
bool molecule_sanitizes(const std::vector<std::string>& elements, const BondList& bonds);

/// Canonical SMILES of the sanitised molecule; throws InputError when it does not sanitise.
std::string generated_smiles(const std::vector<std::string>& elements, const BondList& bonds);

/// The sanitised molecule featurised as a model trained on `options` reads it (featurize.h);
/// node i is atom i. Throws InputError when it does not sanitise.
gnn::Graph featurize_generated(const std::vector<std::string>& elements, const BondList& bonds,
                               const FeaturizerOptions& options);

/// One picture of molecules (SMILES, each must parse) in a grid of `columns` columns, one
/// legend under each (RDKit MolDraw2D::drawMolecules), panels of panel_width x panel_height.
/// Throws InputError for no molecule, a bad SMILES, mismatched legends or a bad size.
std::string draw_molecule_grid(const std::vector<std::string>& smiles,
                               const std::vector<std::string>& legends, int columns,
                               ImageFormat format, int panel_width = 300, int panel_height = 260);

}  // namespace gnnx::molecules
