// PNG writer (see png_writer.h): signature, IHDR, one IDAT, IEND (PNG specification, 2nd ed.).

#include "png_writer.h"

#include <gnnx/gnn/error.h>
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace gnnx::molecules::detail {
namespace {

void put32(std::string& out, uint32_t v) {
  for (int shift : {24, 16, 8, 0}) out.push_back(static_cast<char>((v >> shift) & 255));
}

void chunk(std::string& out, const char* type, const unsigned char* data, size_t size) {
  put32(out, static_cast<uint32_t>(size));
  const size_t start = out.size();
  out.append(type, 4);
  if (size > 0) out.append(reinterpret_cast<const char*>(data), size);
  const auto crc =
      crc32(0, reinterpret_cast<const Bytef*>(out.data() + start), static_cast<uInt>(size + 4));
  put32(out, static_cast<uint32_t>(crc));
}

}  // namespace

std::string encode_png(cairo_surface_t* surface) {
  const int width = cairo_image_surface_get_width(surface);
  const int height = cairo_image_surface_get_height(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  const unsigned char* pixels = cairo_image_surface_get_data(surface);
  // Rows of filter type 0 (none) then R, G, B: the white background filters to nothing better
  // than itself, and zlib finds its runs alone.
  const size_t row = 1 + 3 * static_cast<size_t>(width);
  std::vector<unsigned char> raw(row * static_cast<size_t>(height));
  for (int y = 0; y < height; ++y) {
    unsigned char* dst = raw.data() + row * static_cast<size_t>(y);
    *dst++ = 0;
    const unsigned char* src = pixels + static_cast<size_t>(stride) * static_cast<size_t>(y);
    for (int x = 0; x < width; ++x) {
      uint32_t p = 0;
      std::memcpy(&p, src + 4 * static_cast<size_t>(x), 4);  // native-endian 0xAARRGGBB
      *dst++ = static_cast<unsigned char>(p >> 16);
      *dst++ = static_cast<unsigned char>(p >> 8);
      *dst++ = static_cast<unsigned char>(p);
    }
  }
  uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
  std::vector<unsigned char> packed(packed_size);
  if (compress2(packed.data(), &packed_size, raw.data(), static_cast<uLong>(raw.size()), 3) !=
      Z_OK) {
    throw Error("PNG: zlib could not compress the picture");
  }
  std::string out("\x89PNG\r\n\x1a\n", 8);
  unsigned char header[13] = {};
  for (int i = 0; i < 4; ++i) {
    header[i] = static_cast<unsigned char>((static_cast<uint32_t>(width) >> (24 - 8 * i)) & 255);
    header[4 + i] =
        static_cast<unsigned char>((static_cast<uint32_t>(height) >> (24 - 8 * i)) & 255);
  }
  header[8] = 8;  // bits per channel
  header[9] = 2;  // colour type RGB; compression, filter method and interlace stay 0
  chunk(out, "IHDR", header, sizeof header);
  chunk(out, "IDAT", packed.data(), packed_size);
  chunk(out, "IEND", nullptr, 0);
  return out;
}

}  // namespace gnnx::molecules::detail
