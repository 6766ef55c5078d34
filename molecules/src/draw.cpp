// Molecule drawings with importances (see draw.h). Every atom and bond whose |value| reaches
// DrawOptions::min_fraction of the largest is highlighted in its colour-map colour; the highlight
// radius grows with |value| so that the strongest atoms also stand out without colour. A small
// colour bar in the top-left corner gives the scale.

#include <GraphMol/MolDraw2D/MolDraw2D.h>
#include <GraphMol/MolDraw2D/MolDraw2DCairo.h>
#include <GraphMol/MolDraw2D/MolDraw2DSVG.h>
#include <GraphMol/MolDraw2D/MolDraw2DUtils.h>
#include <GraphMol/RWMol.h>
#include <gnnx/gnn/error.h>
#include <gnnx/molecules/draw.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>

namespace gnnx::molecules {
namespace {

using Anchor = std::array<double, 3>;

// matplotlib's viridis at t = 0, 0.1, ..., 1 (van der Walt & Smith 2015).
constexpr std::array<Anchor, 11> kViridis = {{{68, 1, 84},
                                              {72, 36, 117},
                                              {65, 68, 135},
                                              {53, 95, 141},
                                              {42, 120, 142},
                                              {33, 145, 140},
                                              {34, 168, 132},
                                              {68, 191, 112},
                                              {122, 209, 81},
                                              {189, 223, 38},
                                              {253, 231, 37}}};
// Moreland's cool-warm diverging map (2009) at t = -1, -0.75, ..., 1.
constexpr std::array<Anchor, 9> kCoolWarm = {{{59, 76, 192},
                                              {98, 130, 234},
                                              {141, 176, 254},
                                              {184, 208, 249},
                                              {221, 221, 221},
                                              {245, 196, 173},
                                              {244, 154, 123},
                                              {222, 96, 77},
                                              {180, 4, 38}}};

template <size_t N>
Rgb interpolate(const std::array<Anchor, N>& anchors, double t) {
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * static_cast<double>(N - 1);
  const auto i = std::min<size_t>(static_cast<size_t>(t), N - 2);
  const double f = t - static_cast<double>(i);
  auto mix = [&](int c) { return ((1 - f) * anchors[i][c] + f * anchors[i + 1][c]) / 255.0; };
  return {mix(0), mix(1), mix(2)};
}

RDKit::DrawColour to_draw(const Rgb& c, double alpha = 1.0) {
  return RDKit::DrawColour(c.r, c.g, c.b, alpha);
}

/// The drawn colour of a value: the map's colour, lightened towards white for unsigned maps so
/// that atom labels stay readable on the dark end (the order of lightness is kept).
Rgb colour_of(double v, double scale, bool signed_map) {
  if (signed_map) return diverging(v / scale);
  const Rgb c = viridis(v / scale);
  constexpr double kLighten = 0.35;
  return {c.r + (1 - c.r) * kLighten, c.g + (1 - c.g) * kLighten, c.b + (1 - c.b) * kLighten};
}

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", v);
  return buffer;
}

void draw_colour_bar(RDKit::MolDraw2D& drawer, double scale, bool signed_map) {
  const double x0 = 10, y0 = 10, w = std::min(140.0, drawer.width() * 0.3), h = 10;
  constexpr int kSteps = 64;
  drawer.setFillPolys(true);
  for (int s = 0; s < kSteps; ++s) {
    const double t = (s + 0.5) / kSteps;
    const double v = signed_map ? (2 * t - 1) * scale : t * scale;
    drawer.setColour(to_draw(colour_of(v, scale, signed_map)));
    drawer.drawRect(RDGeom::Point2D(x0 + w * s / kSteps, y0),
                    RDGeom::Point2D(x0 + w * (s + 1) / kSteps + 0.5, y0 + h), /*rawCoords=*/true);
  }
  drawer.setFillPolys(false);
  drawer.setColour(RDKit::DrawColour(0.3, 0.3, 0.3));
  drawer.drawRect(RDGeom::Point2D(x0, y0), RDGeom::Point2D(x0 + w, y0 + h), true);
  drawer.setColour(RDKit::DrawColour(0, 0, 0));
  drawer.setFontSize(11);
  const double ty = y0 + h + 9;
  drawer.drawString(number(signed_map ? -scale : 0.0), RDGeom::Point2D(x0 + 8, ty), true);
  drawer.drawString(number(scale), RDGeom::Point2D(x0 + w - 8, ty), true);
}

}  // namespace

Rgb viridis(double t) { return interpolate(kViridis, t); }
Rgb diverging(double t) { return interpolate(kCoolWarm, (std::isfinite(t) ? t : 0.0) * 0.5 + 0.5); }

ImageFormat image_format_for(const std::string& path) {
  auto ends = [&](const char* tail) {
    const std::string t = tail;
    if (path.size() < t.size()) return false;
    std::string end = path.substr(path.size() - t.size());
    std::transform(end.begin(), end.end(), end.begin(), ::tolower);
    return end == t;
  };
  if (ends(".png")) return ImageFormat::kPng;
  if (ends(".svg")) return ImageFormat::kSvg;
  throw InputError("cannot draw to '" + path + "': the name must end in .png or .svg");
}

std::string draw_molecule(const RDKit::ROMol& mol, const std::vector<double>& atom_values,
                          const std::vector<double>& bond_values, const DrawOptions& options,
                          ImageFormat format) {
  const auto num_atoms = static_cast<size_t>(mol.getNumAtoms());
  const auto num_bonds = static_cast<size_t>(mol.getNumBonds());
  if (!atom_values.empty() && atom_values.size() != num_atoms) {
    throw InputError("draw_molecule: " + std::to_string(atom_values.size()) + " atom values for " +
                     std::to_string(num_atoms) + " atoms");
  }
  if (!bond_values.empty() && bond_values.size() != num_bonds) {
    throw InputError("draw_molecule: " + std::to_string(bond_values.size()) + " bond values for " +
                     std::to_string(num_bonds) + " bonds");
  }
  if (options.width < 50 || options.height < 50 || options.width > 10000 ||
      options.height > 10000) {
    throw InputError("draw_molecule: size " + std::to_string(options.width) + "x" +
                     std::to_string(options.height) + " is outside 50..10000 pixels");
  }

  double scale = 0;
  bool any_negative = false;
  for (const auto* values : {&atom_values, &bond_values}) {
    for (double v : *values) {
      if (!std::isfinite(v)) continue;
      scale = std::max(scale, std::abs(v));
      any_negative = any_negative || v < 0;
    }
  }
  const bool signed_map = options.scale == ColorScale::kDiverging ||
                          (options.scale == ColorScale::kAuto && any_negative);
  const bool highlight = scale > 0;

  std::vector<int> atoms, bonds;
  std::map<int, RDKit::DrawColour> atom_colours, bond_colours;
  std::map<int, double> radii;
  if (highlight) {
    for (size_t i = 0; i < atom_values.size(); ++i) {
      const double v = atom_values[i];
      if (!std::isfinite(v) || std::abs(v) < options.min_fraction * scale) continue;
      atoms.push_back(static_cast<int>(i));
      atom_colours[static_cast<int>(i)] = to_draw(colour_of(v, scale, signed_map));
      radii[static_cast<int>(i)] = 0.25 + 0.2 * std::abs(v) / scale;
    }
    for (size_t b = 0; b < bond_values.size(); ++b) {
      const double v = bond_values[b];
      if (!std::isfinite(v) || std::abs(v) < options.min_fraction * scale) continue;
      bonds.push_back(static_cast<int>(b));
      bond_colours[static_cast<int>(b)] = to_draw(colour_of(v, scale, signed_map));
    }
  }

  RDKit::RWMol copy(mol);
  RDKit::MolDraw2DUtils::prepareMolForDrawing(copy);
  std::unique_ptr<RDKit::MolDraw2D> drawer;
  if (format == ImageFormat::kPng) {
    drawer = std::make_unique<RDKit::MolDraw2DCairo>(options.width, options.height);
  } else {
    drawer = std::make_unique<RDKit::MolDraw2DSVG>(options.width, options.height);
  }
  RDKit::MolDrawOptions& o = drawer->drawOptions();
  o.continuousHighlight = true;
  o.fillHighlights = true;
  o.atomHighlightsAreCircles = true;
  o.highlightBondWidthMultiplier = 12;
  o.legendFontSize = 16;
  o.legendFraction = 0.08;
  o.padding = 0.08;
  o.addAtomIndices = options.atom_indices;
  o.bondLineWidth = 2.0;
  RDKit::assignBWPalette(o.atomColourPalette);  // black labels read on every highlight
  drawer->drawMolecule(copy, options.legend, &atoms, &bonds, &atom_colours, &bond_colours, &radii);
  if (highlight) draw_colour_bar(*drawer, scale, signed_map);
  if (format == ImageFormat::kPng) {
    auto& cairo = static_cast<RDKit::MolDraw2DCairo&>(*drawer);
    cairo.finishDrawing();
    return cairo.getDrawingText();
  }
  auto& svg = static_cast<RDKit::MolDraw2DSVG&>(*drawer);
  svg.finishDrawing();
  return svg.getDrawingText();
}

}  // namespace gnnx::molecules
