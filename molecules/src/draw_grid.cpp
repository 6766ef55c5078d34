// Grids of molecule drawings (see draw.h): the panels are finished pictures, composed rather
// than redrawn, each with its colour bar, outline and legend (one colour scale for all of them
// is chosen before drawing: share_colour_scale).
// PNG panels are decoded and painted onto one Cairo surface; SVG panels become nested <svg>
// elements placed with x/y.

#include <cairo.h>
#include <gnnx/gnn/error.h>
#include <gnnx/molecules/draw.h>

#include <cstring>
#include <memory>
#include <regex>

namespace gnnx::molecules {
namespace {

struct PngReader {
  const std::string* bytes;
  size_t offset = 0;
};

cairo_status_t read_png(void* closure, unsigned char* data, unsigned int length) {
  auto* r = static_cast<PngReader*>(closure);
  if (r->offset + length > r->bytes->size()) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, r->bytes->data() + r->offset, length);
  r->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

cairo_status_t write_png(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;

std::string png_grid(const std::vector<std::string>& panels, int columns) {
  std::vector<Surface> images;
  int w = 0, h = 0;
  for (size_t i = 0; i < panels.size(); ++i) {
    PngReader reader{&panels[i]};
    Surface s(cairo_image_surface_create_from_png_stream(read_png, &reader), cairo_surface_destroy);
    if (cairo_surface_status(s.get()) != CAIRO_STATUS_SUCCESS) {
      throw InputError("draw_grid: panel " + std::to_string(i) + " is not a PNG");
    }
    const int pw = cairo_image_surface_get_width(s.get());
    const int ph = cairo_image_surface_get_height(s.get());
    if (i == 0) {
      w = pw;
      h = ph;
    } else if (pw != w || ph != h) {
      throw InputError("draw_grid: panel " + std::to_string(i) + " is " + std::to_string(pw) + "x" +
                       std::to_string(ph) + ", panel 0 is " + std::to_string(w) + "x" +
                       std::to_string(h));
    }
    images.push_back(std::move(s));
  }
  const int rows = static_cast<int>((panels.size() + columns - 1) / columns);
  Surface grid(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w * columns, h * rows),
               cairo_surface_destroy);
  cairo_t* cr = cairo_create(grid.get());
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  for (size_t i = 0; i < images.size(); ++i) {
    const size_t row = i / columns;  // whole rows above this panel
    const size_t column = i % columns;
    cairo_set_source_surface(cr, images[i].get(), static_cast<double>(column) * w,
                             static_cast<double>(row) * h);
    cairo_paint(cr);
  }
  // Thin separators, so that neighbouring legends and colour bars are not read as one.
  cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
  cairo_set_line_width(cr, 1);
  for (int c = 1; c < columns; ++c) {
    cairo_move_to(cr, c * w + 0.5, 0);
    cairo_line_to(cr, c * w + 0.5, h * rows);
  }
  for (int r = 1; r < rows; ++r) {
    cairo_move_to(cr, 0, r * h + 0.5);
    cairo_line_to(cr, w * columns, r * h + 0.5);
  }
  cairo_stroke(cr);
  cairo_destroy(cr);
  std::string out;
  if (cairo_surface_write_to_png_stream(grid.get(), write_png, &out) != CAIRO_STATUS_SUCCESS) {
    throw std::runtime_error("draw_grid: cannot encode the PNG");
  }
  return out;
}

std::string svg_grid(const std::vector<std::string>& panels, int columns) {
  // RDKit's root element: <svg version='1.1' ... width='600px' height='450px' viewBox=...>
  const std::regex root(R"(<svg\b[^>]*\bwidth='([0-9]+)px'[^>]*\bheight='([0-9]+)px'[^>]*>)");
  std::string body, size;
  int w = 0, h = 0;
  for (size_t i = 0; i < panels.size(); ++i) {
    std::smatch m;
    if (!std::regex_search(panels[i], m, root)) {
      throw InputError("draw_grid: panel " + std::to_string(i) + " is not an RDKit SVG");
    }
    const std::string this_size = m[1].str() + "x" + m[2].str();
    if (i == 0) {
      size = this_size;
      w = std::stoi(m[1].str());
      h = std::stoi(m[2].str());
    } else if (this_size != size) {
      throw InputError("draw_grid: panel " + std::to_string(i) + " is " + this_size +
                       ", panel 0 is " + size);
    }
    const size_t start = static_cast<size_t>(m.position(0));
    std::string panel = panels[i].substr(start);  // drops the <?xml ...?> declaration
    const std::string place = "<svg x='" + std::to_string(static_cast<int>(i % columns) * w) +
                              "' y='" + std::to_string(static_cast<int>(i / columns) * h) + "' ";
    panel.replace(0, 5, place);
    body += panel + "\n";
  }
  const int rows = static_cast<int>((panels.size() + columns - 1) / columns);
  const std::string W = std::to_string(w * columns), H = std::to_string(h * rows);
  return "<?xml version='1.0' encoding='iso-8859-1'?>\n"
         "<svg version='1.1' xmlns='http://www.w3.org/2000/svg' "
         "xmlns:rdkit='http://www.rdkit.org/xml' xmlns:xlink='http://www.w3.org/1999/xlink' "
         "width='" +
         W + "px' height='" + H + "px' viewBox='0 0 " + W + " " + H +
         "'>\n"
         "<rect width='100%' height='100%' fill='#FFFFFF'/>\n" +
         body + "</svg>\n";
}

}  // namespace

std::string draw_grid(const std::vector<std::string>& panels, int columns, ImageFormat format) {
  if (panels.empty()) throw InputError("draw_grid: no panel to draw");
  if (columns < 1) throw InputError("draw_grid: columns must be >= 1");
  return format == ImageFormat::kPng ? png_grid(panels, columns) : svg_grid(panels, columns);
}

}  // namespace gnnx::molecules
