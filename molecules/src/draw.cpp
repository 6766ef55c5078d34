// Molecule drawings with importances (see draw.h). Every atom and bond whose |value| reaches
// DrawOptions::min_fraction of the largest is highlighted in its colour-map colour; the highlight
// radius grows with |value| so that the strongest atoms also stand out without colour. A small
// colour bar in the top-left corner gives the scale. With a ground truth (DrawOptions::truth) a
// second panel shows it on the same depiction, in the same frame, so that atoms line up.

#include "drawer.h"

#include <GraphMol/MolDraw2D/MolDraw2D.h>
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

RDKit::DrawColour to_draw(const Rgb& c, double alpha = 1.0) { return {c.r, c.g, c.b, alpha}; }

/// Which map colours a value. kWarm is the positive half of the diverging map (light grey to
/// red): a sequential map that starts near white, used under contours where viridis' dark end
/// would paint the whole background.
enum class Palette { kViridis, kDiverging, kWarm };

constexpr double kBondHighlightWidth = 12;  // MolDrawOptions::highlightBondWidthMultiplier
constexpr double kOutlineWidth = 0.07;      // halo rim around fragment atoms (molecule units)
constexpr double kOutlineBondExtra = 8;     // halo rim around fragment bonds (width multiplier)
/// Contour lines of the similarity map, as fractions of the colour scale (and their negatives).
constexpr std::array<double, 4> kContourLevels = {0.2, 0.4, 0.6, 0.8};

/// Radius of an atom's disc for |value| / scale = f: grows with the value so that the strongest
/// atoms also stand out without colour.
double disc_radius(double f) { return 0.25 + 0.2 * f; }

struct Highlights {
  std::vector<int> atoms, bonds;
  std::map<int, RDKit::DrawColour> atom_colours, bond_colours;
  std::map<int, double> radii;
};

/// The drawn colour of a value: the map's colour, lightened towards white for viridis so that
/// atom labels stay readable on the dark end (the order of lightness is kept).
Rgb colour_of(double v, double scale, Palette palette) {
  if (palette == Palette::kDiverging) return diverging(v / scale);
  if (palette == Palette::kWarm) return diverging(std::max(0.0, v / scale));
  const Rgb c = viridis(v / scale);
  constexpr double kLighten = 0.35;
  return {c.r + (1 - c.r) * kLighten, c.g + (1 - c.g) * kLighten, c.b + (1 - c.b) * kLighten};
}

/// Bounding box of the depiction's atoms, padded by `pad` (molecule units; bonds are 1.5).
std::pair<RDGeom::Point2D, RDGeom::Point2D> atom_box(const RDKit::ROMol& mol, double pad) {
  RDGeom::Point2D lo(1e300, 1e300), hi(-1e300, -1e300);
  for (const RDGeom::Point3D& p : mol.getConformer().getPositions()) {
    lo.x = std::min(lo.x, p.x);
    lo.y = std::min(lo.y, p.y);
    hi.x = std::max(hi.x, p.x);
    hi.y = std::max(hi.y, p.y);
  }
  return {RDGeom::Point2D(lo.x - pad, lo.y - pad), RDGeom::Point2D(hi.x + pad, hi.y + pad)};
}

/// The fill colour of a contour-field value t (already divided by the scale): the palette's
/// colour blended with white by |t|, so that zero is white and lightness falls monotonically
/// with |t| on either side.
Rgb field_colour(double t, Palette palette) {
  t = std::clamp(std::isfinite(t) ? t : 0.0, -1.0, 1.0);
  if (palette != Palette::kDiverging) t = std::max(0.0, t);
  const Rgb c = diverging(t);
  const double w = std::abs(t);
  return {1 + (c.r - 1) * w, 1 + (c.g - 1) * w, 1 + (c.b - 1) * w};
}

/// RDKit's sigma for similarity maps (SimilarityMaps.GetSimilarityMapFromWeights): 0.3 x the
/// length of the first bond (of atoms 0 and 1 without bonds), rounded to two decimals.
double similarity_map_sigma(const RDKit::ROMol& mol) {
  const RDKit::Conformer& conf = mol.getConformer();
  double length = 1.5;  // RDKit's depiction bond length, for a single atom
  if (mol.getNumBonds() > 0) {
    const RDKit::Bond* b = mol.getBondWithIdx(0);
    length = (conf.getAtomPos(b->getBeginAtomIdx()) - conf.getAtomPos(b->getEndAtomIdx())).length();
  } else if (mol.getNumAtoms() > 1) {
    length = (conf.getAtomPos(0) - conf.getAtomPos(1)).length();
  }
  const double sigma = std::round(0.3 * length * 100) / 100;
  return sigma > 0 ? sigma : 0.45;
}

// Cells of the contour field a little finer than RDKit's similarity maps' (0.1), the same in PNG
// and SVG. Finer PNG cells (0.04) put the rendered peaks up to 3 px right of and above their
// atoms at 900 px (measured by the drawing tests, cause not found), with no visible gain.
constexpr double kFieldStep = 0.08;

/// Grid points from lo in steps of `step`, up to the first one past hi.
std::vector<double> axis(double lo, double hi, double step) {
  std::vector<double> out;
  for (double v = lo; v <= hi + step; v += step) out.push_back(v);
  return out;
}

/// The region of the depiction a panel shows (molecule units): the contour field's grid with
/// contours, else the atoms' box padded for the widest highlight. An explanation and its truth
/// panel share it, so that each atom has the same pixel position in both.
std::pair<RDGeom::Point2D, RDGeom::Point2D> frame_of(const RDKit::ROMol& mol, bool contours) {
  if (!contours) return atom_box(mol, 0.6);
  const auto [lo, hi] = atom_box(mol, 3 * similarity_map_sigma(mol));
  const std::vector<double> xs = axis(lo.x, hi.x, kFieldStep), ys = axis(lo.y, hi.y, kFieldStep);
  return {RDGeom::Point2D(xs.front(), ys.front()), RDGeom::Point2D(xs.back(), ys.back())};
}

/// Similarity-map field under the molecule (Riniker & Landrum 2013, as RDKit's SimilarityMaps
/// draw it): a Gaussian per atom with height value / scale and RDKit's sigma, summed on a grid,
/// painted cell by cell with field_colour and contoured by RDKit's contourAndDrawGrid at fixed
/// fractions of the colour scale (negative contours dashed). Not contourAndDrawGaussians: its
/// fill blends three colours linearly (not a perceptually uniform map) and it divides each
/// Gaussian by 2 pi sigma, so the field would no longer read on the colour bar; here an isolated
/// atom's peak is its value. Sets the drawer's scale to the grid's extent in a panel of
/// panel_width x panel_height, the frame every later drawMolecule call reuses, so that each
/// peak lies on its atom.
void draw_contours(RDKit::MolDraw2D& drawer, const RDKit::ROMol& mol,
                   const std::vector<double>& atom_values, double scale, Palette palette,
                   int panel_width, int panel_height) {
  const double sigma = similarity_map_sigma(mol);
  const auto [lo, hi] = atom_box(mol, 3 * sigma);
  const std::vector<double> xs = axis(lo.x, hi.x, kFieldStep), ys = axis(lo.y, hi.y, kFieldStep);
  const RDKit::Conformer& conf = mol.getConformer();
  // The field on the grid xs x ys, in RDKit's layout: grid[i * ny + j].
  auto field = [&](const std::vector<double>& gx, const std::vector<double>& gy) {
    std::vector<double> grid(gx.size() * gy.size(), 0.0);
    for (size_t a = 0; a < atom_values.size(); ++a) {
      const double h =
          std::isfinite(atom_values[a]) ? std::clamp(atom_values[a] / scale, -1.0, 1.0) : 0.0;
      if (h == 0) continue;
      const RDGeom::Point3D& p = conf.getAtomPos(static_cast<unsigned>(a));
      for (size_t i = 0; i < gx.size(); ++i) {
        const double dx = gx[i] - p.x;
        if (std::abs(dx) > 4 * sigma) continue;
        for (size_t j = 0; j < gy.size(); ++j) {
          const double dy = gy[j] - p.y;
          grid[i * gy.size() + j] += h * std::exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
        }
      }
    }
    return grid;
  };
  const std::vector<double> grid = field(xs, ys);
  drawer.setScale(panel_width, panel_height, RDGeom::Point2D(xs.front(), ys.front()),
                  RDGeom::Point2D(xs.back(), ys.back()), &mol);
  // Each cell spans step x step around its grid point and reaches 1.2 px further right and up,
  // under the next cell of its row and column (painted later): anti-aliased cell edges then
  // blend with a neighbour's colour rather than the white background (no seams), and each
  // cell's visible part stays centred on its grid point, so the darkest cell is on its atom.
  const double px_per_unit = std::abs(drawer.getDrawCoords(RDGeom::Point2D(1, 0)).x -
                                      drawer.getDrawCoords(RDGeom::Point2D(0, 0)).x);
  const double extra = px_per_unit > 0 ? 1.2 / px_per_unit : 0.0;
  const double old_width = drawer.lineWidth();
  const bool old_fill = drawer.fillPolys();
  drawer.setFillPolys(true);
  drawer.setLineWidth(0);
  const double half = 0.5 * kFieldStep;
  for (size_t i = 0; i < xs.size(); ++i) {
    for (size_t j = 0; j < ys.size(); ++j) {
      const Rgb c = field_colour(grid[i * ys.size() + j], palette);
      if (c.r > 0.995 && c.g > 0.995 && c.b > 0.995) continue;  // white: nothing to paint
      drawer.setColour(to_draw(c));
      drawer.drawRect(RDGeom::Point2D(xs[i] - half, ys[j] - half),
                      RDGeom::Point2D(xs[i] + half + extra, ys[j] + half + extra));
    }
  }
  drawer.setFillPolys(old_fill);
  drawer.setLineWidth(old_width);
  // Contour levels at fixed fractions of the colour scale, so that a line means the same value
  // in every panel of a grid that shares the scale. RDKit 2022.09's contourAndDrawGrid returns
  // before contouring given levels unless fillGrid is set; its fill is made invisible instead
  // (cells of the background colour are skipped).
  std::vector<double> levels;
  for (double t : kContourLevels) {
    if (palette == Palette::kDiverging) levels.push_back(-t);
    levels.push_back(t);
  }
  std::sort(levels.begin(), levels.end());  // conrec wants them ascending
  RDKit::MolDraw2DUtils::ContourParams ps;
  ps.setScale = false;
  ps.fillGrid = true;
  ps.colourMap = {RDKit::DrawColour(1, 1, 1, 1), RDKit::DrawColour(1, 1, 1, 1),
                  RDKit::DrawColour(1, 1, 1, 1)};
  ps.dashNegative = true;
  ps.contourWidth = 1.0;
  ps.contourColour = RDKit::DrawColour(0.2, 0.2, 0.2, 0.7);
  // The lines come from a grid of RDKit's own resolution (SimilarityMaps: 0.1), the same for
  // PNG and SVG: on the fill's finer grid every segment would be shorter than one dash.
  constexpr double kContourStep = 0.12;
  std::vector<double> cxs, cys;
  for (double x = lo.x; x <= hi.x + kContourStep; x += kContourStep) cxs.push_back(x);
  for (double y = lo.y; y <= hi.y + kContourStep; y += kContourStep) cys.push_back(y);
  const std::vector<double> coarse = field(cxs, cys);
  RDKit::MolDraw2DUtils::contourAndDrawGrid(drawer, coarse.data(), cxs, cys, levels.size(), levels,
                                            ps);
  drawer.setFillPolys(old_fill);
  drawer.setLineWidth(old_width);
}

/// The legend as lines that fit the picture's width, and the band under the molecule they need.
struct LegendLayout {
  std::vector<std::string> lines;
  double font_size = 0;  // pixels
  int band = 0;          // pixels under the molecule's panel
};

/// Breaks the legend at " | " into as few lines as fit `width` (less a margin) at a font size
/// that grows with the picture (8 to 16 px), shrinking the font (not below RDKit's 6 px minimum)
/// when one piece alone is too wide and cutting the piece as a last resort. Measured with an
/// SVG drawer for both formats (both draw text with FreeType), so that PNG and SVG break alike.
LegendLayout layout_legend(const std::string& legend, int width, int height) {
  LegendLayout out;
  if (legend.empty()) return out;
  // MolDraw2D measures strings only once it has drawn a molecule (for its scale): one atom.
  // Per thread: drawMolecule may cache properties on the molecule it draws.
  thread_local const std::unique_ptr<RDKit::RWMol> atom = [] {
    auto m = std::make_unique<RDKit::RWMol>();
    m->addAtom(new RDKit::Atom(6), /*updateLabel=*/true, /*takeOwnership=*/true);
    RDKit::MolDraw2DUtils::prepareMolForDrawing(*m);
    return m;
  }();
  // One probe per picture size and thread, kept: a probe costs a drawMolecule of its own.
  thread_local std::map<std::pair<int, int>, std::unique_ptr<RDKit::MolDraw2DSVG>> probes;
  const std::pair<int, int> size(width, height);
  if (probes.count(size) == 0) {
    if (probes.size() >= 16) probes.clear();  // many sizes: start again
    auto fresh = std::make_unique<RDKit::MolDraw2DSVG>(width, height);
    fresh->drawMolecule(*atom);
    probes[size] = std::move(fresh);
  }
  RDKit::MolDraw2DSVG& probe = *probes[size];
  const double max_width = width - 2 * std::max(4.0, 0.02 * width);
  double font = std::clamp(0.036 * height, 8.0, 16.0);
  auto measure = [&](const std::string& s, double size) {
    probe.setFontSize(size);
    double w = 0, h = 0;
    probe.getStringSize(s, w, h);
    return w * probe.scale();
  };
  std::vector<std::string> pieces;
  const std::string sep = " | ";
  for (size_t at = 0;;) {
    const size_t next = legend.find(sep, at);
    pieces.push_back(legend.substr(at, next == std::string::npos ? next : next - at));
    if (next == std::string::npos) break;
    at = next + sep.size();
  }
  double widest = 0;
  for (const std::string& p : pieces) widest = std::max(widest, measure(p, font));
  if (widest > max_width) font = std::max(6.0, font * max_width / widest * 0.97);
  for (std::string& p : pieces) {
    while (p.size() > 1 && measure(p, font) > max_width) p = p.substr(0, p.size() - 4) + "...";
  }
  for (const std::string& p : pieces) {
    if (!out.lines.empty() && measure(out.lines.back() + sep + p, font) <= max_width) {
      out.lines.back() += sep + p;
    } else {
      out.lines.push_back(p);
    }
  }
  out.font_size = font;
  out.band = static_cast<int>(std::ceil((out.lines.size() * 1.3 + 0.6) * font));
  return out;
}

void draw_legend(RDKit::MolDraw2D& drawer, const LegendLayout& legend, int width, int height) {
  if (legend.lines.empty()) return;
  drawer.setColour(RDKit::DrawColour(0, 0, 0));
  drawer.setFontSize(legend.font_size);
  const double line = 1.3 * legend.font_size;
  const double top = height - legend.band + 0.3 * legend.font_size;
  for (size_t i = 0; i < legend.lines.size(); ++i) {
    drawer.drawString(legend.lines[i],
                      RDGeom::Point2D(0.5 * width, top + (static_cast<double>(i) + 0.5) * line),
                      RDKit::MolDraw2D_detail::TextAlignType::MIDDLE, /*rawCoords=*/true);
  }
}

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", v);
  return buffer;
}

void draw_colour_bar(RDKit::MolDraw2D& drawer, double scale, Palette palette) {
  const bool signed_map = palette == Palette::kDiverging;
  const double x0 = 10, y0 = 10, w = std::min(140.0, drawer.width() * 0.3), h = 10;
  constexpr int kSteps = 64;
  drawer.setFillPolys(true);
  for (int s = 0; s < kSteps; ++s) {
    const double t = (s + 0.5) / kSteps;
    const double v = signed_map ? (2 * t - 1) * scale : t * scale;
    drawer.setColour(to_draw(colour_of(v, scale, palette)));
    drawer.drawRect(RDGeom::Point2D(x0 + w * s / kSteps, y0),
                    RDGeom::Point2D(x0 + w * (s + 1) / kSteps + 0.5, y0 + h), /*rawCoords=*/true);
  }
  drawer.setFillPolys(false);
  drawer.setColour(RDKit::DrawColour(0.3, 0.3, 0.3));
  drawer.drawRect(RDGeom::Point2D(x0, y0), RDGeom::Point2D(x0 + w, y0 + h), true);
  drawer.setColour(RDKit::DrawColour(0, 0, 0));
  drawer.setFontSize(11);
  // The labels are aligned to the bar's ends (not centred on them), so that neither sticks out
  // of the picture (a centred "-0.154" at x = 18 lost its minus sign).
  const double ty = y0 + h + 9;
  using RDKit::MolDraw2D_detail::TextAlignType;
  drawer.drawString(number(signed_map ? -scale : 0.0), RDGeom::Point2D(x0, ty),
                    TextAlignType::START, /*rawCoords=*/true);
  drawer.drawString(number(scale), RDGeom::Point2D(x0 + w, ty), TextAlignType::END,
                    /*rawCoords=*/true);
}

/// Width of RDKit's continuous bond highlight in molecule units: highlightBondWidthMultiplier x
/// bondLineWidth x 0.02 (measured on 2022.09's SVG at 300 and 600 px: 0.48 for 12 x 2).
double bond_band(double multiplier, double line_width) { return 0.02 * multiplier * line_width; }

/// A filled band of width `width` (molecule units) from atom a to atom b, as RDKit's continuous
/// bond highlight (a quad from centre to centre).
void draw_band(RDKit::MolDraw2D& drawer, const RDKit::Conformer& conf, const RDKit::Bond& bond,
               double width) {
  const RDGeom::Point3D& a = conf.getAtomPos(bond.getBeginAtomIdx());
  const RDGeom::Point3D& b = conf.getAtomPos(bond.getEndAtomIdx());
  const double dx = b.x - a.x, dy = b.y - a.y, length = std::hypot(dx, dy);
  if (length == 0) return;
  const double nx = -dy / length * 0.5 * width, ny = dx / length * 0.5 * width;
  drawer.drawPolygon({RDGeom::Point2D(a.x + nx, a.y + ny), RDGeom::Point2D(b.x + nx, b.y + ny),
                      RDGeom::Point2D(b.x - nx, b.y - ny), RDGeom::Point2D(a.x - nx, a.y - ny)});
}

void draw_disc(RDKit::MolDraw2D& drawer, const RDKit::Conformer& conf, int atom, double radius) {
  const RDGeom::Point3D& p = conf.getAtomPos(static_cast<unsigned>(atom));
  drawer.drawEllipse(RDGeom::Point2D(p.x - radius, p.y - radius),
                     RDGeom::Point2D(p.x + radius, p.y + radius));
}

/// The explanation fragment's outline, drawn as plain shapes under the one drawMolecule pass: a
/// dark disc (band) a little wider than each fragment atom's (bond's) highlight, then a white
/// one as wide as the highlight, so that only a dark rim shows around the importance colours
/// drawn on top, and fragment atoms without a highlight of their own still read as outlined.
/// Under contours the atoms carry no discs: the outline follows the fragment's bonds (its atoms
/// get a ring only when it has no bond), and nothing white covers the field.
void draw_outline(RDKit::MolDraw2D& drawer, const RDKit::ROMol& mol, const std::vector<int>& atoms,
                  const std::vector<int>& bonds, const std::map<int, double>& radii,
                  bool contours) {
  const RDKit::Conformer& conf = mol.getConformer();
  const std::vector<int> ringed = !contours || bonds.empty() ? atoms : std::vector<int>();
  auto radius = [&](int a) {
    const auto r = radii.find(a);
    return r == radii.end() ? disc_radius(0) : r->second;
  };
  // Read before setLineWidth(0) below, which sets MolDrawOptions::bondLineWidth itself.
  const double line = drawer.drawOptions().bondLineWidth;
  const double old_width = drawer.lineWidth();
  const bool old_fill = drawer.fillPolys();
  drawer.setFillPolys(true);
  drawer.setLineWidth(0);
  drawer.setColour(RDKit::DrawColour(0.15, 0.15, 0.15));
  const double halo_band =
      bond_band(contours ? kOutlineBondExtra : kBondHighlightWidth + kOutlineBondExtra, line);
  for (int b : bonds) draw_band(drawer, conf, *mol.getBondWithIdx(b), halo_band);
  for (int a : ringed) draw_disc(drawer, conf, a, radius(a) + kOutlineWidth);
  drawer.setColour(RDKit::DrawColour(1, 1, 1));
  if (!contours) {
    for (int b : bonds) {
      draw_band(drawer, conf, *mol.getBondWithIdx(b), bond_band(kBondHighlightWidth, line));
    }
  }
  for (int a : ringed) draw_disc(drawer, conf, a, radius(a));
  drawer.setFillPolys(old_fill);
  drawer.setLineWidth(old_width);
}

/// The drawer options every panel shares (an explanation and its truth panel alike).
void configure(RDKit::MolDrawOptions& o, const DrawOptions& options) {
  o.prepareMolsBeforeDrawing = false;  // prepared once, by the caller
  o.continuousHighlight = true;
  o.fillHighlights = true;
  o.atomHighlightsAreCircles = true;
  o.highlightBondWidthMultiplier = kBondHighlightWidth;
  o.padding = 0.08;
  o.addAtomIndices = options.atom_indices;
  o.bondLineWidth = 2.0;
  RDKit::assignBWPalette(o.atomColourPalette);  // black labels read on every highlight
}

std::string truth_legend_text(const TruthPanel& truth) {
  if (!truth.legend.empty()) return truth.legend;
  return truth.atoms.empty() ? "no ground truth" : "ground truth";
}

/// The truth panel: `mol` (prepared for drawing) in `frame` (the explanation's), the truth's
/// atoms and bonds highlighted in kTruthColour (discs of one radius: the truth has no degrees),
/// a key in the colour bar's corner, and the legend in the band the explanation's also has.
/// Returns the drawer, not yet finished.
std::unique_ptr<RDKit::MolDraw2D> draw_truth_panel(
    const RDKit::ROMol& mol, const TruthPanel& truth,
    const std::pair<RDGeom::Point2D, RDGeom::Point2D>& frame, const LegendLayout& legend,
    int panel_height, const DrawOptions& options, ImageFormat format) {
  auto drawer =
      detail::make_drawer(format, options.width, options.height, options.width, panel_height);
  configure(drawer->drawOptions(), options);
  drawer->clearDrawing();
  if (mol.getNumAtoms() > 0) {
    drawer->setScale(options.width, panel_height, frame.first, frame.second, &mol);
  }
  drawer->drawOptions().clearBackground = false;
  Highlights lit;
  for (int a : truth.atoms) {
    lit.atoms.push_back(a);
    lit.atom_colours[a] = to_draw(kTruthColour);
    lit.radii[a] = disc_radius(0.5);
  }
  for (int b : truth.bonds) {
    lit.bonds.push_back(b);
    lit.bond_colours[b] = to_draw(kTruthColour);
  }
  drawer->drawMolecule(mol, "", &lit.atoms, &lit.bonds, &lit.atom_colours, &lit.bond_colours,
                       &lit.radii);
  if (!truth.atoms.empty()) {
    // The key, where the explanation has its colour bar: a swatch and what it means.
    const double x0 = 10, y0 = 10, side = 10;
    drawer->setFillPolys(true);
    drawer->setColour(to_draw(kTruthColour));
    drawer->drawRect(RDGeom::Point2D(x0, y0), RDGeom::Point2D(x0 + side, y0 + side),
                     /*rawCoords=*/true);
    drawer->setFillPolys(false);
    drawer->setColour(RDKit::DrawColour(0.3, 0.3, 0.3));
    drawer->drawRect(RDGeom::Point2D(x0, y0), RDGeom::Point2D(x0 + side, y0 + side), true);
    drawer->setColour(RDKit::DrawColour(0, 0, 0));
    drawer->setFontSize(11);
    drawer->drawString("ground truth", RDGeom::Point2D(x0 + side + 5, y0 + 0.5 * side),
                       RDKit::MolDraw2D_detail::TextAlignType::START, /*rawCoords=*/true);
  }
  draw_legend(*drawer, legend, options.width, options.height);
  return drawer;  // unfinished: finish_side_by_side puts it beside the explanation
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
  if (options.value_max > 0) scale = options.value_max;  // a scale shared with other drawings
  const bool signed_map = options.scale == ColorScale::kDiverging ||
                          (options.scale == ColorScale::kAuto && any_negative);
  const bool highlight = scale > 0;
  const bool contours = options.contours && highlight && !atom_values.empty() && num_atoms > 0;
  // With contours the field carries the importances: atoms and bonds get no highlights of their
  // own (two encodings would fight), only the fragment's outline is drawn over the field.
  const Palette palette = contours ? (signed_map ? Palette::kDiverging : Palette::kWarm)
                                   : (signed_map ? Palette::kDiverging : Palette::kViridis);
  for (int a : options.outline_atoms) {
    if (a < 0 || static_cast<size_t>(a) >= num_atoms) {
      throw InputError("draw_molecule: outline atom " + std::to_string(a) + " out of range");
    }
  }
  for (int b : options.outline_bonds) {
    if (b < 0 || static_cast<size_t>(b) >= num_bonds) {
      throw InputError("draw_molecule: outline bond " + std::to_string(b) + " out of range");
    }
  }
  if (options.truth) {
    for (int a : options.truth->atoms) {
      if (a < 0 || static_cast<size_t>(a) >= num_atoms) {
        throw InputError("draw_molecule: ground-truth atom " + std::to_string(a) + " out of range");
      }
    }
    for (int b : options.truth->bonds) {
      if (b < 0 || static_cast<size_t>(b) >= num_bonds) {
        throw InputError("draw_molecule: ground-truth bond " + std::to_string(b) + " out of range");
      }
    }
  }

  Highlights lit;
  if (highlight) {
    if (!contours) {
      for (size_t i = 0; i < atom_values.size(); ++i) {
        const double v = atom_values[i];
        if (!std::isfinite(v) || std::abs(v) < options.min_fraction * scale) continue;
        lit.atoms.push_back(static_cast<int>(i));
        lit.atom_colours[static_cast<int>(i)] = to_draw(colour_of(v, scale, palette));
        lit.radii[static_cast<int>(i)] = disc_radius(std::min(1.0, std::abs(v) / scale));
      }
    }
    for (size_t b = 0; b < (contours ? 0 : bond_values.size()); ++b) {
      const double v = bond_values[b];
      if (!std::isfinite(v) || std::abs(v) < options.min_fraction * scale) continue;
      lit.bonds.push_back(static_cast<int>(b));
      lit.bond_colours[static_cast<int>(b)] = to_draw(colour_of(v, scale, palette));
    }
  }

  RDKit::RWMol copy(mol);
  RDKit::MolDraw2DUtils::prepareMolForDrawing(copy);
  // The legend is drawn here under a panel that holds the molecule, not by drawMolecule: RDKit
  // centres a molecule with a legend in the panel less the legend's band but a frame fixed by
  // setScale in the whole panel, which put the contour field's peaks half a band (18 px at
  // 600x450) below their atoms; and its legend shrinks to fit rather than wrapping.
  LegendLayout legend = layout_legend(options.legend, options.width, options.height);
  LegendLayout truth_legend;
  if (options.truth) {
    truth_legend = layout_legend(truth_legend_text(*options.truth), options.width, options.height);
    // One band under both panels: the molecules then get the same frame and the same pixels.
    legend.band = truth_legend.band = std::max(legend.band, truth_legend.band);
  }
  const int panel_height = std::max(options.height / 2, options.height - legend.band);
  const auto frame =
      num_atoms > 0 ? frame_of(copy, contours) : std::pair<RDGeom::Point2D, RDGeom::Point2D>();
  const auto drawer =
      detail::make_drawer(format, options.width, options.height, options.width, panel_height);
  configure(drawer->drawOptions(), options);

  // One drawMolecule pass (issue 19: three passes cost three layouts and three rasterisations of
  // every highlight): RDKit's own highlights carry the importances (colour and disc radius per
  // atom, colour per bond); under them, drawn first as plain shapes, the contour field and the
  // fragment's outline. The shapes must land under the molecule's pixels, so the scale is fixed
  // up front (drawMolecule would otherwise fit its own highlights): by the contour grid, or by
  // the atoms' box padded for the widest highlight.
  drawer->clearDrawing();  // sets up the drawing context of the shapes below
  if (contours) {
    draw_contours(*drawer, copy, atom_values, scale, palette, options.width, panel_height);
  } else if (num_atoms > 0) {
    drawer->setScale(options.width, panel_height, frame.first, frame.second, &copy);
  }
  drawer->drawOptions().clearBackground = false;
  if (!options.outline_atoms.empty()) {
    draw_outline(*drawer, copy, options.outline_atoms, options.outline_bonds, lit.radii, contours);
  }
  drawer->drawMolecule(copy, "", &lit.atoms, &lit.bonds, &lit.atom_colours, &lit.bond_colours,
                       &lit.radii);
  if (highlight) draw_colour_bar(*drawer, scale, palette);
  draw_legend(*drawer, legend, options.width, options.height);
  if (!options.truth) return detail::finish_drawing(*drawer, format);
  const auto truth =
      draw_truth_panel(copy, *options.truth, frame, truth_legend, panel_height, options, format);
  return detail::finish_side_by_side(*drawer, *truth, format);
}

void share_colour_scale(const std::vector<const std::vector<double>*>& value_sets,
                        DrawOptions& options) {
  double largest = 0;
  bool any_negative = false;
  for (const std::vector<double>* values : value_sets) {
    for (double v : *values) {
      if (!std::isfinite(v)) continue;
      largest = std::max(largest, std::abs(v));
      any_negative = any_negative || v < 0;
    }
  }
  if (largest == 0) return;
  options.value_max = largest;
  options.scale = any_negative ? ColorScale::kDiverging : ColorScale::kSequential;
}

}  // namespace gnnx::molecules
