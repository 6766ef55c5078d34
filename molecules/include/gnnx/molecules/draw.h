#pragma once
// Drawing molecules with per-atom and per-bond importances, with RDKit's MolDraw2D (Cairo for
// PNG, SVG otherwise). Colours come from perceptually uniform maps: viridis for unsigned
// importances (dark = low, yellow = high) and a blue-white-red diverging map for signed ones
// (blue = negative, red = positive, white = 0), so that the colour scale can be read in print and
// by colour-blind readers.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace RDKit {
class ROMol;
}

namespace gnnx::molecules {

enum class ImageFormat { kPng, kSvg };
enum class ColorScale {
  kAuto,        ///< diverging when any value is negative, else sequential
  kSequential,  ///< viridis over [0, max]
  kDiverging,   ///< blue-white-red over [-max|v|, max|v|]
};

/// An RGB colour, components in [0, 1].
struct Rgb {
  double r = 0, g = 0, b = 0;
};

/// The colour of the ground-truth atoms and bonds in a truth panel (DrawOptions::truth): one
/// fixed blue, lighter than the atom labels, which stay black on it.
inline constexpr Rgb kTruthColour = {0.40, 0.62, 0.98};

/// A ground truth drawn beside an explanation: its atoms and bonds highlighted in kTruthColour
/// on the same depiction (the same atom positions), with its own legend line.
struct TruthPanel {
  std::vector<int> atoms;  ///< atom indices; empty: the panel says there is no ground truth
  std::vector<int> bonds;  ///< bond indices
  /// e.g. "ground truth: NO2" or "no ground truth (non-mutagen)"; empty: "ground truth" or
  /// "no ground truth".
  std::string legend;
};

/// Viridis at t in [0, 1] (clamped).
Rgb viridis(double t);
/// The diverging map at t in [-1, 1] (clamped): blue (-1), white (0), red (+1).
Rgb diverging(double t);

struct DrawOptions {
  int width = 600;   ///< pixels
  int height = 450;  ///< pixels
  ColorScale scale = ColorScale::kAuto;
  /// > 0: the colour map spans |value| up to this (larger values are clamped) instead of the
  /// molecule's own largest |value|, so that several drawings (a grid's panels) share one scale
  /// (share_colour_scale).
  double value_max = 0;
  /// Text under the molecule, e.g. "grad-cam | p(mutagen) = 0.97". Broken into lines at " | "
  /// where it is wider than the picture, so that it always fits (at least 6 px high).
  std::string legend;
  /// Values with |v| below this fraction of the largest |v| are not highlighted.
  double min_fraction = 0.05;
  bool atom_indices = false;  ///< write the atom index next to each atom
  /// The explanation fragment (fragment.h), drawn with a dark outline around its atoms and
  /// bonds. Empty: no outline.
  std::vector<int> outline_atoms, outline_bonds;
  /// Similarity-map contours under the molecule, as RDKit's SimilarityMaps draw them: a Gaussian
  /// per atom (peak on the atom, sigma 0.3 x the first bond's length) with its value as height,
  /// shaded with the colour map and contoured at +-0.2, 0.4, 0.6, 0.8 of the colour scale by
  /// RDKit's contourAndDrawGrid (negative contours dashed).
  bool contours = false;
  /// Set: the picture is two panels side by side, each width x height (2 x width wide): the
  /// explanation, and the same molecule at the same atom positions with the ground truth
  /// (TruthPanel). Both legends get the same band, so that both molecules sit alike.
  std::optional<TruthPanel> truth;
};

/// One colour scale for several drawings (a grid's panels), so that the same value has the same
/// colour in each: sets options.value_max to the largest finite |value| of all `value_sets`
/// (each a molecule's atom or bond values) and options.scale to kDiverging when any is negative,
/// kSequential otherwise. Leaves options alone when no value is finite and non-zero.
void share_colour_scale(const std::vector<const std::vector<double>*>& value_sets,
                        DrawOptions& options);

/// The picture as bytes (PNG or SVG text). atom_values [num_atoms] and bond_values
/// [num_bonds], or empty for none; with options.truth, the truth panel to its right. Throws
/// InputError on a size mismatch, a bad size, or an outline or truth index out of range.
std::string draw_molecule(const RDKit::ROMol& mol, const std::vector<double>& atom_values,
                          const std::vector<double>& bond_values, const DrawOptions& options,
                          ImageFormat format);

/// Several drawings of the same size and format (draw_molecule's output) in one picture,
/// `columns` per row, left to right then top to bottom. Throws InputError for no panel, panels
/// of different sizes, or bytes that are not a drawing of `format`.
std::string draw_grid(const std::vector<std::string>& panels, int columns, ImageFormat format);

/// PNG for a path ending in ".png", SVG for ".svg"; throws InputError otherwise.
ImageFormat image_format_for(const std::string& path);

}  // namespace gnnx::molecules
