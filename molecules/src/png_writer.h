#pragma once
// PNG bytes of a finished Cairo drawing, written here instead of by Cairo (issue 19, item 1).
// Cairo's writer (libpng at its defaults: an adaptive filter tried per row, zlib level 6)
// took about 6.5 ms of a 600x450 molecule picture's 11 ms; this one writes the same pixels
// unfiltered at zlib level 3 in about 1.5 ms, files within a few per cent of Cairo's size.

#include <cairo.h>

#include <string>

namespace gnnx::molecules::detail {

/// The surface (CAIRO_FORMAT_ARGB32 or RGB24, flushed) as an 8-bit RGB PNG: the drawings are
/// opaque (a white background under everything), so alpha is dropped. Throws Error when zlib
/// fails.
std::string encode_png(cairo_surface_t* surface);

}  // namespace gnnx::molecules::detail
