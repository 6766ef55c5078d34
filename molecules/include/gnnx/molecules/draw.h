#pragma once
// Drawing molecules with per-atom and per-bond importances, with RDKit's MolDraw2D (Cairo for
// PNG, SVG otherwise). Colours come from perceptually uniform maps: viridis for unsigned
// importances (dark = low, yellow = high) and a blue-white-red diverging map for signed ones
// (blue = negative, red = positive, white = 0), so that the colour scale can be read in print and
// by colour-blind readers.

#include <cstdint>
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

/// Viridis at t in [0, 1] (clamped).
Rgb viridis(double t);
/// The diverging map at t in [-1, 1] (clamped): blue (-1), white (0), red (+1).
Rgb diverging(double t);

struct DrawOptions {
  int width = 600;   ///< pixels
  int height = 450;  ///< pixels
  ColorScale scale = ColorScale::kAuto;
  std::string legend;  ///< text under the molecule, e.g. "grad-cam | p(mutagen) = 0.97"
  /// Values with |v| below this fraction of the largest |v| are not highlighted.
  double min_fraction = 0.05;
  bool atom_indices = false;  ///< write the atom index next to each atom
  /// The explanation fragment (fragment.h), drawn with a dark outline around its atoms and
  /// bonds. Empty: no outline.
  std::vector<int> outline_atoms, outline_bonds;
  /// Similarity-map style contours under the molecule: a Gaussian per atom with its value as
  /// height, contoured and shaded with the same colour map (RDKit's contourAndDrawGaussians).
  bool contours = false;
};

/// The picture as bytes (PNG or SVG text). atom_values [num_atoms] and bond_values
/// [num_bonds], or empty for none. Throws InputError on a size mismatch or a bad size.
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
