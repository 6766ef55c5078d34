#pragma once
// Writes a gzip-compressed file with zlib, for tests of readers that take gzipped input.

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

namespace gnnx::testing {

/// Writes `text` to `path`, gzip-compressed; a failing zlib call fails the calling test.
inline void write_gzip_file(const std::string& path, const std::string& text) {
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr) << path;
  EXPECT_EQ(gzwrite(f, text.data(), static_cast<unsigned>(text.size())),
            static_cast<int>(text.size()));
  EXPECT_EQ(gzclose(f), Z_OK);
}

}  // namespace gnnx::testing
