#include "drawer.h"

#include "png_writer.h"

#include <GraphMol/MolDraw2D/MolDraw2DCairo.h>
#include <GraphMol/MolDraw2D/MolDraw2DSVG.h>

#include <memory>

namespace gnnx::molecules::detail {
namespace {

// The PNG is written from the drawer's own pixels (png_writer.h: Cairo's PNG writer took about
// 60 % of a picture's time). RDKit 2022.09's MolDraw2DCairo makes its Cairo context in
// initDrawing (a context passed to its constructor is dropped there), keeps it private, and lets
// it out only through getDrawingText, which runs Cairo's writer. The context is read through the
// one door C++ leaves open to a private member: an explicit template instantiation may name it
// ([temp.explicit]: access is not checked there). A later RDKit that renames the member fails
// to compile here rather than misbehaving.
struct CairoContextOf {
  using type = cairo_t* RDKit::MolDraw2DCairo::*;
  friend type member_pointer(CairoContextOf);
};
template <class Tag, typename Tag::type Member>
struct PrivateMember {
  friend typename Tag::type member_pointer(Tag) { return Member; }
};
template struct PrivateMember<CairoContextOf, &RDKit::MolDraw2DCairo::dp_cr>;

}  // namespace

std::unique_ptr<RDKit::MolDraw2D> make_drawer(ImageFormat format, int width, int height,
                                              int panel_width, int panel_height) {
  if (format == ImageFormat::kPng) {
    return std::make_unique<RDKit::MolDraw2DCairo>(width, height, panel_width, panel_height);
  }
  return std::make_unique<RDKit::MolDraw2DSVG>(width, height, panel_width, panel_height);
}

namespace {

/// The finished Cairo drawer's surface (flushed), or null when nothing was drawn.
cairo_surface_t* finished_surface(RDKit::MolDraw2D& drawer) {
  auto& cairo = static_cast<RDKit::MolDraw2DCairo&>(drawer);
  cairo.finishDrawing();
  cairo_t* context = cairo.*member_pointer(CairoContextOf());
  if (context == nullptr) return nullptr;
  cairo_surface_t* surface = cairo_get_target(context);
  cairo_surface_flush(surface);
  return surface;
}

}  // namespace

std::string finish_side_by_side(RDKit::MolDraw2D& left, RDKit::MolDraw2D& right,
                                ImageFormat format) {
  if (format == ImageFormat::kSvg) {
    return draw_grid({finish_drawing(left, format), finish_drawing(right, format)},
                     /*columns=*/2, format);
  }
  cairo_surface_t* a = finished_surface(left);
  cairo_surface_t* b = finished_surface(right);
  if (a == nullptr || b == nullptr) {
    return draw_grid({finish_drawing(left, format), finish_drawing(right, format)},
                     /*columns=*/2, format);
  }
  const int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> both(
      cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 2 * w, h), cairo_surface_destroy);
  cairo_t* cr = cairo_create(both.get());
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_set_source_surface(cr, a, 0, 0);
  cairo_paint(cr);
  cairo_set_source_surface(cr, b, w, 0);
  cairo_paint(cr);
  // draw_grid's separator.
  cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
  cairo_set_line_width(cr, 1);
  cairo_move_to(cr, w + 0.5, 0);
  cairo_line_to(cr, w + 0.5, h);
  cairo_stroke(cr);
  cairo_destroy(cr);
  cairo_surface_flush(both.get());
  return encode_png(both.get());
}

std::string finish_drawing(RDKit::MolDraw2D& drawer, ImageFormat format) {
  if (format == ImageFormat::kPng) {
    auto& cairo = static_cast<RDKit::MolDraw2DCairo&>(drawer);
    cairo.finishDrawing();
    cairo_t* context = cairo.*member_pointer(CairoContextOf());
    if (context == nullptr) return cairo.getDrawingText();  // nothing drawn yet: RDKit's way
    cairo_surface_t* surface = cairo_get_target(context);
    cairo_surface_flush(surface);
    return encode_png(surface);
  }
  auto& svg = static_cast<RDKit::MolDraw2DSVG&>(drawer);
  svg.finishDrawing();
  return svg.getDrawingText();
}

}  // namespace gnnx::molecules::detail
