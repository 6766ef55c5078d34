#pragma once
// The RDKit drawer for an image format, and its finished bytes: what every gnnx picture of
// molecules (explanations, grids, XGNN results) starts and ends with.

#include <gnnx/molecules/draw.h>

#include <GraphMol/MolDraw2D/MolDraw2D.h>

#include <memory>
#include <string>

namespace gnnx::molecules::detail {

/// A Cairo (PNG) or SVG drawer of width x height; panels of panel_width x panel_height for a
/// grid (-1: one panel, the whole picture).
std::unique_ptr<RDKit::MolDraw2D> make_drawer(ImageFormat format, int width, int height,
                                              int panel_width = -1, int panel_height = -1);

/// Finishes the drawing and returns the PNG bytes (png_writer.h) or the SVG text.
std::string finish_drawing(RDKit::MolDraw2D& drawer, ImageFormat format);

/// Finishes two drawings of the same size and returns them side by side, left then right, as
/// draw_grid lays out two panels (a thin grey line between them). PNG: composed from the
/// drawers' own pixels, not decoded from PNG bytes (an explanation beside its truth panel cost
/// three times a plain picture through draw_grid).
std::string finish_side_by_side(RDKit::MolDraw2D& left, RDKit::MolDraw2D& right,
                                ImageFormat format);

}  // namespace gnnx::molecules::detail
