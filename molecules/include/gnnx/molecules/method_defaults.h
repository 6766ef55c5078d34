#pragma once
// The explainers' defaults on molecules, where they differ from the synthetic benchmarks'. Both
// were chosen on the validation split of the default Mutagenicity model (`gnnx train --data
// Mutagenicity/tudataset`, seed 0; `train --split-out` names the split), never on the molecules
// that are scored (README, "Molecule defaults").

#include <gnnx/explainers/method_options.h>

#include <string>

namespace gnnx::molecules {

/// The method of `gnnx explain-mol` and gnnx.MoleculeExplainer when none is named. On the
/// validation mutagens its explanation fragment held a NO2/NH2 atom most often (87 of 102; EB 74,
/// integrated gradients 59) and it ranked their bonds best (edge AUC 0.971; EB 0.960); on the 66
/// validation nitro compounds its fragment held the nitro N in 60 (integrated gradients 63, with
/// fragments of 7 % of the atoms; EB 50, LRP 49, Grad-CAM 27).
inline constexpr const char* kDefaultMoleculeMethod = "guided-backprop";

/// GNNExplainer's learning rate and mask-size coefficient on molecules (the synthetic defaults:
/// 0.1 and 0.005): the best NO2/NH2 edge AUC on the 102 validation mutagens of a grid of lr
/// {0.1, 0.03, 0.01, 0.003} x edge size {0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5}, 0.854 against
/// the synthetic defaults' 0.765 (edge size 0.1 and 0.5 at lr 0.03: 0.828 and 0.818). See
/// with_molecule_defaults.
inline constexpr double kMoleculeGnnExplainerLr = 0.03;
inline constexpr double kMoleculeGnnExplainerEdgeSize = 0.2;

/// `options` with the molecule defaults of `method` filled in where the caller set nothing:
/// GNNExplainer's lr and edge_size (the others have none). Used by MoleculeExplainer and by
/// `gnnx evaluate` on the molecule benchmarks.
explainers::MethodOptions with_molecule_defaults(const std::string& method,
                                                 explainers::MethodOptions options);

}  // namespace gnnx::molecules
