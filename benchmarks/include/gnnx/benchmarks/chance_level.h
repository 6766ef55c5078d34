#pragma once
// Did a trained model learn anything? Its validation score against the score of a model that
// knows nothing (`gnnx train` warns when a model is at chance level):
//  - Classifiers (node or graph task): at chance when the validation accuracy is at most the
//    majority-class rate of the validation part, i.e. the share of its most common label,
//    which is what always answering that label scores. (A model can even score below it: on
//    BA-Shapes GraphSAGE and GAT sit at 0.429, the share of the base nodes.)
//  - Binary property models (`gnnx train --data`): at chance when the validation ROC-AUC
//    (the mean over tasks) is at most 0.55. A ranking that knows nothing scores 0.5; the 0.05
//    above it is the spread of the ROC-AUC of random scores on a validation part of about 100
//    positives and negatives (sd ~0.04), so such a model cannot be told from guessing.
//  - Regression property models: no verdict (an RMSE has no chance level without the labels'
//    spread).
// No verdict either without a validation part or a validation score.

#include <gnnx/datasets/synthetic.h>
#include <gnnx/gnn/property_training.h>
#include <gnnx/gnn/training.h>

#include <optional>
#include <string>

namespace gnnx::benchmarks {

/// A validation score next to its chance level.
struct ChanceLevel {
  std::string metric;      ///< "accuracy" or "roc_auc"
  double score = 0;        ///< the model's validation score
  double chance = 0;       ///< the score of a model that knows nothing
  bool at_chance = false;  ///< score <= chance
};

/// ROC-AUC at or below which a binary property model is at chance (see the file comment).
constexpr double kChanceRocAuc = 0.55;

/// The share of the most common value of `labels` ([n] integer, values >= 0); 0 for n = 0.
/// Throws c10::Error for negative labels.
///
/// Example:
///   majority_class_rate(torch::tensor({0, 0, 1, 2}))  // 0.5
double majority_class_rate(const torch::Tensor& labels);

/// A classifier trained on `ds` (node task: ds.graphs[0]'s nodes; graph task: ds.graphs) whose
/// training gave `result`: its validation accuracy against the majority-class rate of the
/// validation labels (result.split.val). nullopt when the validation part is empty.
std::optional<ChanceLevel> classifier_chance(const gnn::TrainResult& result,
                                             const datasets::Dataset& ds);

/// A property model's validation scores `val`: binary, the ROC-AUC against kChanceRocAuc;
/// regression, or a NaN score (no usable validation label), nullopt.
std::optional<ChanceLevel> property_chance(const gnn::PropertyScores& val, gnn::PropertyKind kind);

/// The warning `gnnx train` prints, without the "gnnx: warning: " prefix, e.g. "validation
/// accuracy 0.4286 is at chance level (<= 0.4286, the share of the most common class in the
/// validation part): the model has learnt nothing usable; ...".
std::string chance_warning(const ChanceLevel& c);

}  // namespace gnnx::benchmarks
