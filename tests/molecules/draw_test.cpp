// Molecule drawings read back as geometry (issue 19, "pictures fit for a paper"): the contour
// field's peak on its atom, a colour scale shared by a grid's panels, legends and colour-bar
// labels inside the picture, and PNG and SVG with the same layout. Atom positions come from the
// SVG's bond paths (RDKit draws an unlabelled carbon where its bonds meet); PNGs are decoded
// with Cairo.

#include <cairo.h>
#include <gnnx/gnn/error.h>
#include <gnnx/molecules/draw.h>
#include <gnnx/molecules/parse.h>
#include <gtest/gtest.h>

#include "support/png_decode.h"

#include <GraphMol/ROMol.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

namespace gnnx::molecules {
namespace {

// 4-isopropyltoluene: every atom an unlabelled carbon.
const char* kCymene = "CC(C)c1ccc(C)cc1";

struct Point {
  double x = 0, y = 0;
};

/// Decoded PNG: ARGB32 pixels, row by row.
class Image {
 public:
  explicit Image(const std::string& png) {
    surface_.reset(gnnx::testing::decode_png(png));
    EXPECT_EQ(cairo_surface_status(surface_.get()), CAIRO_STATUS_SUCCESS);
    cairo_surface_flush(surface_.get());
  }
  int width() const { return cairo_image_surface_get_width(surface_.get()); }
  int height() const { return cairo_image_surface_get_height(surface_.get()); }
  /// {r, g, b} in 0..255 (the drawings are opaque, so premultiplication does not matter).
  std::array<int, 3> rgb(int x, int y) const {
    const unsigned char* row =
        cairo_image_surface_get_data(surface_.get()) +
        static_cast<size_t>(y) * cairo_image_surface_get_stride(surface_.get());
    uint32_t p = 0;
    std::memcpy(&p, row + 4 * static_cast<size_t>(x), 4);
    return {static_cast<int>((p >> 16) & 255), static_cast<int>((p >> 8) & 255),
            static_cast<int>(p & 255)};
  }
  bool ink(int x, int y) const {
    const auto c = rgb(x, y);
    return c[0] < 200 || c[1] < 200 || c[2] < 200;
  }

 private:
  struct Destroy {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
  };
  std::unique_ptr<cairo_surface_t, Destroy> surface_;
};

/// Each atom's drawn position from an SVG: the ends of the first path of each of its bonds
/// (class 'bond-k atom-i atom-j', d='M xi,yi L xj,yj'). Checks that the ends agree.
std::map<int, Point> atom_positions(const std::string& svg) {
  const std::regex bond(
      R"(<path class='bond-(\d+) atom-(\d+) atom-(\d+)' d='M ([-0-9.]+),([-0-9.]+) L ([-0-9.]+),([-0-9.]+)')");
  std::map<int, Point> at;
  std::map<int, bool> seen_bond;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), bond); it != std::sregex_iterator();
       ++it) {
    const std::smatch& m = *it;
    const int b = std::stoi(m[1]);
    if (seen_bond[b]) continue;  // later paths of a bond: the inner line of a double bond
    seen_bond[b] = true;
    for (int end = 0; end < 2; ++end) {
      const int atom = std::stoi(m[2 + end]);
      const Point p{std::stod(m[4 + 2 * end]), std::stod(m[5 + 2 * end])};
      auto found = at.find(atom);
      if (found == at.end()) {
        at[atom] = p;
      } else {
        EXPECT_NEAR(found->second.x, p.x, 0.6) << "atom " << atom;
        EXPECT_NEAR(found->second.y, p.y, 0.6) << "atom " << atom;
      }
    }
  }
  return at;
}

/// The centre of the field's darkest region in a PNG of a one-atom field (warm palette): the
/// centroid of the pixels whose red-minus-green (which grows with the field, and shrinks under
/// the black ink of bonds) is at least 60 % of the largest, below the colour bar.
Point png_peak(const Image& image) {
  int best = 0;
  for (int y = 40; y < image.height(); ++y) {
    for (int x = 0; x < image.width(); ++x) {
      const auto c = image.rgb(x, y);
      best = std::max(best, c[0] - c[1]);
    }
  }
  double sx = 0, sy = 0, n = 0;
  for (int y = 40; y < image.height(); ++y) {
    for (int x = 0; x < image.width(); ++x) {
      const auto c = image.rgb(x, y);
      if (c[0] - c[1] < 0.6 * best) continue;
      sx += x + 0.5;
      sy += y + 0.5;
      n += 1;
    }
  }
  EXPECT_GT(n, 0);
  return {sx / n, sy / n};
}

/// The same in an SVG, from the field's cells (filled four-corner paths) below the colour bar.
Point svg_peak(const std::string& svg) {
  const std::regex cell(
      R"(<path d='M ([-0-9.]+),([-0-9.]+) L [-0-9.]+,[-0-9.]+ L ([-0-9.]+),([-0-9.]+) L [-0-9.]+,[-0-9.]+ Z' style='fill:#([0-9A-F]{2})([0-9A-F]{2}))");
  struct Cell {
    Point centre;
    int strength;
  };
  std::vector<Cell> cells;
  int best = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), cell); it != std::sregex_iterator();
       ++it) {
    const std::smatch& m = *it;
    const Point c{0.5 * (std::stod(m[1]) + std::stod(m[3])),
                  0.5 * (std::stod(m[2]) + std::stod(m[4]))};
    if (c.y < 40) continue;  // the colour bar
    const int strength = std::stoi(m[5], nullptr, 16) - std::stoi(m[6], nullptr, 16);
    cells.push_back({c, strength});
    best = std::max(best, strength);
  }
  double sx = 0, sy = 0, n = 0;
  for (const Cell& c : cells) {
    if (c.strength < 0.92 * best) continue;
    sx += c.centre.x;
    sy += c.centre.y;
    n += 1;
  }
  EXPECT_GT(n, 0);
  return {sx / n, sy / n};
}

// Issue 19: --contours drew each Gaussian's peak 18-22 px below its atom at 600x450 (33-40 px
// at 900x900): RDKit centred the molecule above its legend but the field in the whole picture.
TEST(DrawContoursTest, Issue19TheFieldPeaksOnEachAtom) {
  const auto mol = smiles_to_mol(kCymene);
  const int n = static_cast<int>(mol->getNumAtoms());
  for (const auto& [w, h] : std::vector<std::pair<int, int>>{{600, 450}, {900, 900}}) {
    DrawOptions o;
    o.width = w;
    o.height = h;
    o.contours = true;
    o.legend = "grad-cam | p(active) = 0.91 | explaining class 1";
    for (int a = 0; a < n; ++a) {
      std::vector<double> values(n, 0.0);
      values[a] = 1.0;
      const std::string svg = draw_molecule(*mol, values, {}, o, ImageFormat::kSvg);
      const std::map<int, Point> atoms = atom_positions(svg);
      ASSERT_EQ(static_cast<int>(atoms.size()), n);
      const Point want = atoms.at(a);
      const Point png = png_peak(Image(draw_molecule(*mol, values, {}, o, ImageFormat::kPng)));
      // Within 1.5 px (measured: at most 1.1); before the fix, 18-40 px below.
      EXPECT_NEAR(png.x, want.x, 1.5) << w << "x" << h << " atom " << a;
      EXPECT_NEAR(png.y, want.y, 1.5) << w << "x" << h << " atom " << a;
      const Point cells = svg_peak(svg);
      EXPECT_NEAR(cells.x, want.x, 2.0) << w << "x" << h << " atom " << a;
      EXPECT_NEAR(cells.y, want.y, 2.0) << w << "x" << h << " atom " << a;
    }
  }
}

TEST(DrawContoursTest, NegativeContoursAreDashedAndBothFormatsHaveThem) {
  const auto mol = smiles_to_mol(kCymene);
  DrawOptions o;
  o.contours = true;
  std::vector<double> values(mol->getNumAtoms(), 0.1);
  values[0] = -1.0;
  values[5] = 1.0;
  const std::string svg = draw_molecule(*mol, values, {}, o, ImageFormat::kSvg);
  // Contour segments: 1 px grey lines; the negative ones dashed.
  const std::regex contour(R"(stroke:#333333B2;stroke-width:1.0px[^']*')");
  size_t dashed = 0, solid = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), contour);
       it != std::sregex_iterator(); ++it) {
    (it->str().find("dasharray") != std::string::npos ? dashed : solid) += 1;
  }
  EXPECT_GT(dashed, 10u);
  EXPECT_GT(solid, 10u);
  // Without negative values there is no dashed contour.
  values[0] = 0.0;
  const std::string positive = draw_molecule(*mol, values, {}, o, ImageFormat::kSvg);
  EXPECT_EQ(positive.find("dasharray"), std::string::npos);
}

/// The fill colour of each atom's (last) highlight disc in an SVG, by atom.
std::map<int, std::string> disc_colours(const std::string& svg) {
  const std::regex disc(R"(<ellipse [^>]*class='atom-(\d+)'\s*style='fill:#([0-9A-F]{6}))");
  std::map<int, std::string> out;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), disc); it != std::sregex_iterator();
       ++it) {
    out[std::stoi((*it)[1])] = (*it)[2];
  }
  return out;
}

TEST(DrawScaleTest, SharedScaleGivesTheSameValueTheSameColour) {
  const auto mol = smiles_to_mol(kCymene);
  // b is a scaled by two: a's atom 1 and b's atom 0 both hold 0.4.
  const std::vector<double> a = {0.2, 0.4, 0.1, 0.3, 0.25, 0.15, 0.35, 0.05, 0.3, 0.2};
  std::vector<double> b = a;
  for (double& v : b) v *= 2;
  DrawOptions own;
  DrawOptions shared;
  share_colour_scale({&a, &b}, shared);
  EXPECT_DOUBLE_EQ(shared.value_max, 0.8);
  EXPECT_EQ(shared.scale, ColorScale::kSequential);
  const auto own_a = disc_colours(draw_molecule(*mol, a, {}, own, ImageFormat::kSvg));
  const auto own_b = disc_colours(draw_molecule(*mol, b, {}, own, ImageFormat::kSvg));
  const auto shared_a = disc_colours(draw_molecule(*mol, a, {}, shared, ImageFormat::kSvg));
  const auto shared_b = disc_colours(draw_molecule(*mol, b, {}, shared, ImageFormat::kSvg));
  ASSERT_TRUE(shared_a.count(1) && shared_b.count(0) && own_a.count(1) && own_b.count(1));
  EXPECT_EQ(shared_a.at(1), shared_b.at(0));  // 0.4 in both panels: one colour
  EXPECT_NE(shared_a.at(1), shared_b.at(1));  // 0.4 against 0.8
  // Each panel on its own scale: the same rank, the same colour, whatever the value.
  EXPECT_EQ(own_a.at(1), own_b.at(1));
  EXPECT_NE(own_a.at(1), own_b.at(0));

  std::vector<double> negative = a;
  negative[2] = -0.1;
  DrawOptions signed_scale;
  share_colour_scale({&a, &negative}, signed_scale);
  EXPECT_EQ(signed_scale.scale, ColorScale::kDiverging);
  DrawOptions untouched;
  const std::vector<double> zeros(3, 0.0);
  share_colour_scale({&zeros}, untouched);
  EXPECT_EQ(untouched.value_max, 0.0);
  EXPECT_EQ(untouched.scale, ColorScale::kAuto);
}

/// Each highlighted atom's disc in an SVG: centre, radius and fill colour, by atom.
struct Disc {
  Point centre;
  double radius = 0;
  std::array<int, 3> rgb{};
};
std::map<int, Disc> discs(const std::string& svg) {
  const std::regex disc(
      R"(<ellipse cx='([-0-9.]+)' cy='([-0-9.]+)' rx='([-0-9.]+)' ry='[-0-9.]+' class='atom-(\d+)'\s*style='fill:#([0-9A-F]{2})([0-9A-F]{2})([0-9A-F]{2}))");
  std::map<int, Disc> out;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), disc); it != std::sregex_iterator();
       ++it) {
    const std::smatch& m = *it;
    Disc d;
    d.centre = {std::stod(m[1]), std::stod(m[2])};
    d.radius = std::stod(m[3]);
    for (int c = 0; c < 3; ++c) d.rgb[c] = std::stoi(m[5 + c], nullptr, 16);
    out[std::stoi(m[4])] = d;
  }
  return out;
}

size_t count_of(const std::string& text, const std::string& piece) {
  size_t n = 0;
  for (size_t at = text.find(piece); at != std::string::npos; at = text.find(piece, at + 1)) ++n;
  return n;
}

// Issue 19, item 1: a picture is one drawMolecule pass. The fragment's outline is drawn as plain
// shapes under it, so an outlined drawing has exactly the atom discs, bond highlights and bond
// lines (classed 'atom-i' / 'bond-k' by RDKit) of the plain one; the three stacked passes drew
// each of them three times.
TEST(DrawPassesTest, Issue19OneDrawMoleculePassWithTheOutline) {
  const auto mol = smiles_to_mol("O=[N+]([O-])c1ccccc1");
  const std::vector<double> atoms = {0.9, 0.5, 0.8, 0.3, 0.1, 0.05, 0.02, 0.05, 0.1};
  const std::vector<double> bonds(mol->getNumBonds(), 0.3);
  DrawOptions plain;
  plain.legend = "saliency | P(1) = 0.9";
  DrawOptions outlined = plain;
  outlined.outline_atoms = {0, 1, 2, 3};
  outlined.outline_bonds = {0, 1, 2};
  const std::string a = draw_molecule(*mol, atoms, bonds, plain, ImageFormat::kSvg);
  const std::string b = draw_molecule(*mol, atoms, bonds, outlined, ImageFormat::kSvg);
  for (const std::string piece : {"class='bond-0 ", "class='bond-4 ", "class='atom-0'",
                                  "class='atom-3'", "<path class='bond-"}) {
    EXPECT_GT(count_of(a, piece), 0u) << piece;
    EXPECT_EQ(count_of(b, piece), count_of(a, piece)) << piece;
  }
  // The outline is there: dark shapes (0.15 grey) in the outlined drawing only.
  EXPECT_EQ(count_of(a, "fill:#262626"), 0u);
  EXPECT_GE(count_of(b, "fill:#262626"), 7u);  // 3 bands + 4 discs
  // Under contours the outline follows the fragment's bonds, and the molecule is drawn once.
  outlined.contours = true;
  const std::string c = draw_molecule(*mol, atoms, bonds, outlined, ImageFormat::kSvg);
  EXPECT_EQ(count_of(c, "<path class='bond-0 "), count_of(a, "<path class='bond-0 ") - 1)
      << "the plain drawing's bond highlight is the one path fewer";
  EXPECT_EQ(count_of(c, "fill:#262626"), 3u);
}

// Issue 19, item 1: RDKit's own highlights carry the scores. In the PNG, each highlighted
// atom's disc is painted in its score's colour (the SVG's fill, at the SVG's coordinates: the two
// formats share the layout), the largest score in the top of the map (viridis' yellow, lightened
// 35 % towards white as the drawing does) and a smaller score in another colour; the fragment's
// dark rim shows just outside a fragment atom's disc.
TEST(DrawPassesTest, Issue19HighlightedAtomsCarryTheirScoreColoursInThePng) {
  const auto mol = smiles_to_mol(kCymene);
  std::vector<double> values(mol->getNumAtoms(), 0.0);
  values[0] = 1.0;  // the methyl end of the isopropyl group: its disc is clear of most bonds
  values[2] = 0.4;
  values[7] = 0.7;
  DrawOptions o;
  o.outline_atoms = {0, 1};
  o.outline_bonds = {0};
  const std::string svg = draw_molecule(*mol, values, {}, o, ImageFormat::kSvg);
  const Image png(draw_molecule(*mol, values, {}, o, ImageFormat::kPng));
  const auto lit = discs(svg);
  ASSERT_EQ(lit.size(), 3u);  // atoms 0, 2, 7; the others are below min_fraction
  const Rgb top = viridis(1.0);
  const std::array<int, 3> expected_top = {
      static_cast<int>(std::lround(255 * (top.r + (1 - top.r) * 0.35))),
      static_cast<int>(std::lround(255 * (top.g + (1 - top.g) * 0.35))),
      static_cast<int>(std::lround(255 * (top.b + (1 - top.b) * 0.35)))};
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(lit.at(0).rgb[c], expected_top[c], 1) << c;
  EXPECT_NE(lit.at(2).rgb, lit.at(0).rgb);
  EXPECT_NE(lit.at(7).rgb, lit.at(2).rgb);
  for (const auto& [atom, disc] : lit) {
    // Eight points halfway out from the centre: most of them (not under a bond line or a
    // label) carry the disc's colour.
    int matching = 0;
    for (int k = 0; k < 8; ++k) {
      const double angle = (k + 0.5) * M_PI / 4;
      const auto c = png.rgb(static_cast<int>(disc.centre.x + 0.6 * disc.radius * std::cos(angle)),
                             static_cast<int>(disc.centre.y + 0.6 * disc.radius * std::sin(angle)));
      bool same = true;
      for (int ch = 0; ch < 3; ++ch) same = same && std::abs(c[ch] - disc.rgb[ch]) <= 3;
      matching += same;
    }
    EXPECT_GE(matching, 5) << "atom " << atom;
  }
  // Atom 0 is in the fragment: just outside its disc, away from its bond, the rim is dark.
  const Disc& d = lit.at(0);
  int dark = 0;
  for (int k = 0; k < 16; ++k) {
    const double angle = k * M_PI / 8;
    const auto c = png.rgb(static_cast<int>(d.centre.x + (d.radius + 2.5) * std::cos(angle)),
                           static_cast<int>(d.centre.y + (d.radius + 2.5) * std::sin(angle)));
    dark += c[0] < 80 && c[1] < 80 && c[2] < 80;
  }
  EXPECT_GE(dark, 10);
}

/// The text the drawing writes itself (legend, colour-bar labels): glyph paths without a class.
struct Glyph {
  double x0, y0, x1, y1;
};
std::vector<Glyph> text_glyphs(const std::string& svg) {
  const std::regex path(R"(<path d='([^']*)' fill='#000000'/>)");
  const std::regex number(R"([-0-9.]+ [-0-9.]+)");
  std::vector<Glyph> out;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), path); it != std::sregex_iterator();
       ++it) {
    const std::string d = (*it)[1];
    Glyph g{1e9, 1e9, -1e9, -1e9};
    for (auto p = std::sregex_iterator(d.begin(), d.end(), number); p != std::sregex_iterator();
         ++p) {
      double x = 0, y = 0;
      std::sscanf(p->str().c_str(), "%lf %lf", &x, &y);
      g = {std::min(g.x0, x), std::min(g.y0, y), std::max(g.x1, x), std::max(g.y1, y)};
    }
    if (g.x0 < 1e9) out.push_back(g);
  }
  return out;
}

/// Lines of text among glyphs below y_from: vertical extents that overlap merge into one line.
std::vector<std::pair<double, double>> text_lines(std::vector<Glyph> glyphs, double y_from) {
  std::sort(glyphs.begin(), glyphs.end(),
            [](const Glyph& a, const Glyph& b) { return a.y0 < b.y0; });
  std::vector<std::pair<double, double>> lines;
  for (const Glyph& g : glyphs) {
    if (g.y0 < y_from) continue;
    if (!lines.empty() && g.y0 < lines.back().second) {
      lines.back().second = std::max(lines.back().second, g.y1);
    } else {
      lines.emplace_back(g.y0, g.y1);
    }
  }
  return lines;
}

// Issue 19: grid legends overflowed into the next panel and the signed colour bar's left label
// was cut in half.
TEST(DrawLegendTest, Issue19LegendsAndLabelsStayInsideThePicture) {
  const auto mol = smiles_to_mol(kCymene);
  std::vector<double> values(mol->getNumAtoms(), 0.3);
  values[1] = -0.1234;  // signed: the bar's left label is "-0.123"
  const std::string legend =
      "#123 a-rather-long-molecule-identifier-from-a-registry | integrated-gradients | "
      "p_np: P(1) = 0.912 | explaining class 1";
  for (const auto& [w, h] : std::vector<std::pair<int, int>>{{600, 450}, {300, 240}, {200, 150}}) {
    for (bool contours : {false, true}) {
      DrawOptions o;
      o.width = w;
      o.height = h;
      o.contours = contours;
      o.legend = legend;
      const std::string svg = draw_molecule(*mol, values, {}, o, ImageFormat::kSvg);
      const std::vector<Glyph> glyphs = text_glyphs(svg);
      ASSERT_GT(glyphs.size(), 20u);
      for (const Glyph& g : glyphs) {
        EXPECT_GE(g.x0, 0) << w << "x" << h;
        EXPECT_LE(g.x1, w) << w << "x" << h;
        EXPECT_GE(g.y0, 0) << w << "x" << h;
        EXPECT_LE(g.y1, h) << w << "x" << h;
      }
      // The PNG: no ink in the outermost two columns (text there would be cut or run into the
      // next panel of a grid), and the legend in as many lines as in the SVG.
      const Image png(draw_molecule(*mol, values, {}, o, ImageFormat::kPng));
      ASSERT_EQ(png.width(), w);
      for (int y = 0; y < h; ++y) {
        for (int x : {0, 1, w - 2, w - 1}) EXPECT_FALSE(png.ink(x, y)) << x << "," << y;
      }
      const auto lines = text_lines(glyphs, 40);
      ASSERT_GE(lines.size(), 1u);
      if (w < 600) {
        EXPECT_GE(lines.size(), 2u) << w;  // broken at " | " rather than shrunk away
      }
      int runs = 0;
      bool in_run = false;
      for (int y = static_cast<int>(lines.front().first) - 1; y < h; ++y) {
        bool any = false;
        for (int x = 0; x < w && !any; ++x) any = png.ink(x, y);
        runs += any && !in_run;
        in_run = any;
      }
      EXPECT_EQ(runs, static_cast<int>(lines.size())) << w << "x" << h;
    }
  }
}

/// The two panels of an explanation drawn with its truth: the nested <svg> of each.
std::pair<std::string, std::string> truth_panels(const std::string& svg) {
  const size_t left = svg.find("<svg x='0' y='0'");
  const size_t right = svg.find("<svg x='", left + 1);
  EXPECT_NE(left, std::string::npos);
  EXPECT_NE(right, std::string::npos);
  if (left == std::string::npos || right == std::string::npos) return {};
  return {svg.substr(left, right - left), svg.substr(right)};
}

/// The drawn lines of the molecule's bonds ('M x,y L x,y' paths classed by RDKit), in order.
std::vector<std::string> bond_lines(const std::string& svg) {
  const std::regex line(
      R"(<path class='bond-\d+ atom-\d+ atom-\d+' d='M [-0-9.]+,[-0-9.]+ L [-0-9.]+,[-0-9.]+')");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), line); it != std::sregex_iterator();
       ++it) {
    out.push_back(it->str());
  }
  return out;
}

/// kTruthColour as 0..255 components.
std::array<int, 3> truth_rgb() {
  return {static_cast<int>(std::lround(255 * kTruthColour.r)),
          static_cast<int>(std::lround(255 * kTruthColour.g)),
          static_cast<int>(std::lround(255 * kTruthColour.b))};
}

/// A pixel of the truth colour (its anti-aliased edges, blended with white, too): blue well
/// above red. Nothing else in a truth panel is blue: black lines, labels, white ground.
bool truthy(const std::array<int, 3>& c) { return c[2] - c[0] > 60 && c[2] - c[1] > 30; }

double distance_to_segment(Point p, Point a, Point b) {
  const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
  const double t =
      len2 == 0 ? 0 : std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0);
  return std::hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
}

// Issue 19, item 3: `--show-truth` draws the ground truth beside the explanation. On
// 2-nitrotoluene with the nitro group (N, both O, the two N-O bonds) as truth: the picture is two
// panels of the drawing's size; both draw every bond at the same coordinates; the truth panel's
// discs are exactly the truth atoms, in the truth colour, in the SVG and at the same pixels of
// the PNG; and the PNG's truth panel has truth-coloured pixels nowhere but on the truth atoms and
// bonds and its key.
TEST(DrawTruthTest, Issue19TruthPanelShowsTheTruthAtomsAtTheExplanationsPositions) {
  const auto mol = smiles_to_mol("Cc1ccccc1[N+](=O)[O-]");
  const int n = static_cast<int>(mol->getNumAtoms());
  ASSERT_EQ(n, 10);
  ASSERT_EQ(mol->getAtomWithIdx(7)->getSymbol(), "N");
  const std::vector<int> truth_atoms = {7, 8, 9};
  const std::vector<int> truth_bonds = {static_cast<int>(mol->getBondBetweenAtoms(7, 8)->getIdx()),
                                        static_cast<int>(mol->getBondBetweenAtoms(7, 9)->getIdx())};
  // An explanation that disagrees with the truth: the methyl end high, the nitro group low.
  std::vector<double> values(n, 0.05);
  values[0] = 1.0;
  values[1] = 0.6;
  values[6] = 0.3;
  const int w = 500, h = 380;
  for (bool contours : {false, true}) {
    DrawOptions o;
    o.width = w;
    o.height = h;
    o.contours = contours;
    o.legend = "saliency | label=0: P(mutagen) = 0.97 | explaining 'mutagen'";
    o.truth = TruthPanel{truth_atoms, truth_bonds, "ground truth: NO2"};
    const std::string svg = draw_molecule(*mol, values, {}, o, ImageFormat::kSvg);
    EXPECT_NE(svg.find("width='1000px' height='380px'"), std::string::npos) << contours;
    const auto [left, right] = truth_panels(svg);
    // The same depiction in the same frame: every bond line at the same coordinates.
    const std::vector<std::string> lines = bond_lines(left);
    EXPECT_GE(lines.size(), static_cast<size_t>(mol->getNumBonds()));
    EXPECT_EQ(bond_lines(right), lines) << contours;
    // The truth panel's discs: the truth atoms, in the truth colour.
    const std::map<int, Disc> lit = discs(right);
    std::vector<int> lit_atoms;
    for (const auto& [atom, disc] : lit) {
      lit_atoms.push_back(atom);
      for (int ch = 0; ch < 3; ++ch) {
        EXPECT_NEAR(disc.rgb[ch], truth_rgb()[ch], 1) << "atom " << atom;  // RDKit truncates
      }
    }
    EXPECT_EQ(lit_atoms, truth_atoms) << contours;
    // Both legends drawn: text glyphs below the molecules in each panel.
    EXPECT_FALSE(text_lines(text_glyphs(left), 0.6 * h).empty());
    EXPECT_FALSE(text_lines(text_glyphs(right), 0.6 * h).empty());

    // The PNG: the same panels, the truth discs at the SVG's coordinates (shifted by one panel).
    const Image png(draw_molecule(*mol, values, {}, o, ImageFormat::kPng));
    ASSERT_EQ(png.width(), 2 * w);
    ASSERT_EQ(png.height(), h);
    // Sixteen points near the disc's rim, clear of the atom's label (O and N labels cover its
    // middle): most of them in the truth colour.
    for (const auto& [atom, disc] : lit) {
      int matching = 0;
      for (int k = 0; k < 16; ++k) {
        const double angle = (k + 0.5) * M_PI / 8;
        const auto c =
            png.rgb(static_cast<int>(w + disc.centre.x + 0.85 * disc.radius * std::cos(angle)),
                    static_cast<int>(disc.centre.y + 0.85 * disc.radius * std::sin(angle)));
        matching += truthy(c);
      }
      EXPECT_GE(matching, 10) << "atom " << atom << (contours ? " (contours)" : "");
    }
    // Nowhere else: every truth-coloured pixel of the right panel is on a truth disc, on the
    // band of a truth bond (between two truth discs), or in the key's corner.
    const double radius = lit.begin()->second.radius;
    int stray = 0, on_truth = 0;
    for (int y = 0; y < h; ++y) {
      for (int x = w; x < 2 * w; ++x) {
        if (!truthy(png.rgb(x, y))) continue;
        const Point p{x + 0.5 - w, y + 0.5};
        if (p.x < 30 && p.y < 30) continue;  // the key's swatch
        bool inside = false;
        for (const auto& [atom, disc] : lit) {
          inside = inside || std::hypot(p.x - disc.centre.x, p.y - disc.centre.y) < radius + 2;
        }
        for (const auto& [a, da] : lit) {
          for (const auto& [b, db] : lit) {
            if (a < b && mol->getBondBetweenAtoms(a, b) != nullptr) {
              inside = inside || distance_to_segment(p, da.centre, db.centre) < radius + 2;
            }
          }
        }
        (inside ? on_truth : stray) += 1;
      }
    }
    EXPECT_GT(on_truth, 300) << contours;
    EXPECT_EQ(stray, 0) << contours;
  }
}

// A molecule without ground truth still gets its truth panel: no truth colour anywhere in it,
// and its legend says so. Truth indices outside the molecule are refused.
TEST(DrawTruthTest, NoGroundTruthIsAPanelThatSaysSo) {
  const auto mol = smiles_to_mol(kCymene);
  const std::vector<double> values(mol->getNumAtoms(), 0.5);
  DrawOptions o;
  o.truth = TruthPanel{{}, {}, "no ground truth (non-mutagen)"};
  const std::string svg = draw_molecule(*mol, values, {}, o, ImageFormat::kSvg);
  const auto [left, right] = truth_panels(svg);
  EXPECT_TRUE(discs(right).empty());
  EXPECT_EQ(bond_lines(right), bond_lines(left));
  EXPECT_FALSE(text_lines(text_glyphs(right), 0.6 * o.height).empty());
  const Image png(draw_molecule(*mol, values, {}, o, ImageFormat::kPng));
  ASSERT_EQ(png.width(), 2 * o.width);
  int blue = 0, legend_ink = 0;
  for (int y = 0; y < o.height; ++y) {
    for (int x = o.width + 1; x < 2 * o.width; ++x) {
      blue += truthy(png.rgb(x, y));
      legend_ink += y > 0.8 * o.height && png.ink(x, y);
    }
  }
  EXPECT_EQ(blue, 0);
  EXPECT_GT(legend_ink, 50);
  o.truth = TruthPanel{{0, 10}, {}, ""};  // cymene has 10 atoms: 0..9
  EXPECT_THROW(draw_molecule(*mol, values, {}, o, ImageFormat::kSvg), InputError);
  o.truth = TruthPanel{{0}, {10}, ""};  // and 10 bonds: 0..9
  EXPECT_THROW(draw_molecule(*mol, values, {}, o, ImageFormat::kSvg), InputError);
}

}  // namespace
}  // namespace gnnx::molecules
