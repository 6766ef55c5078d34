#pragma once
// An explanation of a featurised molecule as per-atom and per-bond values: the step from an
// explainer's tensors (node and edge masks over featurize()'s graph) to RDKit's atoms and
// bonds. Its own header so that molecule_explainer.h, whose API has no tensors, includes no
// LibTorch header.

#include <gnnx/explainers/explanation.h>
#include <gnnx/molecules/featurize.h>

namespace gnnx::molecules {

/// An explanation of featurize()'s graph `g` as per-atom and per-bond values: to_atoms_and_bonds
/// of its dense node and edge masks (either may be absent).
AtomBondValues atom_bond_values(const MolGraph& g, const explainers::Explanation& e);

}  // namespace gnnx::molecules
