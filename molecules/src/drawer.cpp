#include "drawer.h"

#include <GraphMol/MolDraw2D/MolDraw2DCairo.h>
#include <GraphMol/MolDraw2D/MolDraw2DSVG.h>

namespace gnnx::molecules::detail {

std::unique_ptr<RDKit::MolDraw2D> make_drawer(ImageFormat format, int width, int height,
                                              int panel_width, int panel_height) {
  if (format == ImageFormat::kPng) {
    return std::make_unique<RDKit::MolDraw2DCairo>(width, height, panel_width, panel_height);
  }
  return std::make_unique<RDKit::MolDraw2DSVG>(width, height, panel_width, panel_height);
}

std::string finish_drawing(RDKit::MolDraw2D& drawer, ImageFormat format) {
  if (format == ImageFormat::kPng) {
    auto& cairo = static_cast<RDKit::MolDraw2DCairo&>(drawer);
    cairo.finishDrawing();
    return cairo.getDrawingText();
  }
  auto& svg = static_cast<RDKit::MolDraw2DSVG&>(drawer);
  svg.finishDrawing();
  return svg.getDrawingText();
}

}  // namespace gnnx::molecules::detail
