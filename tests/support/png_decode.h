#pragma once
// Decodes PNG bytes (a drawing gnnx wrote) into a Cairo ARGB32 surface, so a test can read the
// pixels at an atom's coordinates. The caller owns the surface (cairo_surface_destroy).

#include <cairo.h>

#include <cstring>
#include <string>

namespace gnnx::testing {

inline cairo_surface_t* decode_png(const std::string& png) {
  struct Reader {
    const std::string* bytes;
    size_t at = 0;
  } reader{&png};
  auto read = [](void* closure, unsigned char* data, unsigned int length) {
    auto* r = static_cast<Reader*>(closure);
    if (r->at + length > r->bytes->size()) return CAIRO_STATUS_READ_ERROR;
    std::memcpy(data, r->bytes->data() + r->at, length);
    r->at += length;
    return CAIRO_STATUS_SUCCESS;
  };
  return cairo_image_surface_create_from_png_stream(read, &reader);
}

}  // namespace gnnx::testing
