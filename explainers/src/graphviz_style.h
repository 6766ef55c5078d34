#pragma once
// How a drawing looks (render_graphviz.cpp): the importance colour scale, the colour bar that
// reads it, the ground truth's colour, and node sizes that fit their labels. Kept apart from the
// DOT assembly so that the look can change without touching what is drawn.

#include <cstddef>
#include <string>

namespace gnnx::explainers::detail {

/// Point size of node labels and the caption: readable with the drawing at its natural size
/// (no `size` attribute shrinks it), on screen and in print.
inline constexpr double kLabelFontSize = 12;
/// A sans-serif face: fontconfig maps it to DejaVu or Liberation Sans where Helvetica is absent.
inline constexpr const char* kFontName = "Helvetica";
/// Ground truth: blue, apart from the grey-to-red importance scale and the red target.
inline constexpr const char* kTruthColour = "#2166ac";
/// The target node's outline.
inline constexpr const char* kTargetColour = "#d7301f";

/// Colour of t in [0, 1] (clamped): light grey (unimportant) to dark red (important), readable
/// in print and in grey scale.
std::string shade(double t);

/// Maps importances onto [0, 1]: from min(0, lowest) to the highest, so that nonnegative scores
/// keep 0 as "unimportant" and signed ones use the whole scale.
struct ImportanceScale {
  double lo = 0.0;
  double hi = 0.0;
  /// Position of w on the scale; 0 when every importance is the same.
  double operator()(double w) const;
};

/// Diameter in inches of a circle that holds a label of `digits` characters at kLabelFontSize.
double node_diameter(std::size_t digits);

/// An HTML-like Graphviz label (without the outer < >): the caption, then the edge colour bar
/// from scale.lo to scale.hi when `with_bar`, then a key to the ground-truth outline when
/// `with_truth`. `caption` is escaped here.
std::string legend_label(const std::string& caption, const ImportanceScale& scale, bool with_bar,
                         bool with_truth);

}  // namespace gnnx::explainers::detail
