#pragma once
// The explainers' defaults on molecules, where they differ from the synthetic benchmarks'. Both
// were chosen on the validation split of the default Mutagenicity model (`gnnx train --data
// Mutagenicity/tudataset`, seed 0; `train --split-out` names the split), never on the molecules
// that are scored (README, "Molecule defaults").

#include <gnnx/explainers/method_options.h>

#include <string>

namespace gnnx::molecules {

/// The method of `gnnx explain-mol` and gnnx.MoleculeExplainer when none is named: its
/// explanation fragment held the nitro N of all 66 validation nitro compounds (EB 57,
/// integrated gradients 60, saliency 56, GNNExplainer 35, Grad-CAM 33 of 66).
inline constexpr const char* kDefaultMoleculeMethod = "guided-backprop";

/// GNNExplainer's learning rate and mask-size coefficient on molecules (the synthetic defaults:
/// 0.1 and 0.005): the best NO2/NH2 edge AUC on the 102 validation mutagens of a grid of lr
/// {0.1, 0.03, 0.01, 0.003} x edge size {0.005, 0.01, 0.02, 0.05, 0.1}, 0.747 against the
/// synthetic defaults' 0.710 (lr 0.01 ties at 0.746). See with_molecule_defaults.
inline constexpr double kMoleculeGnnExplainerLr = 0.03;
inline constexpr double kMoleculeGnnExplainerEdgeSize = 0.02;

/// `options` with the molecule defaults of `method` filled in where the caller set nothing:
/// GNNExplainer's lr and edge_size (the others have none). Used by MoleculeExplainer and by
/// `gnnx evaluate` on the molecule benchmarks.
explainers::MethodOptions with_molecule_defaults(const std::string& method,
                                                 explainers::MethodOptions options);

}  // namespace gnnx::molecules
