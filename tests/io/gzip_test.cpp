// Reading plain or gzipped text (gnnx/io/gzip.h): a file gzipped here through zlib comes back
// byte for byte, and broken files give errors that name them.

#include <gnnx/gnn/error.h>
#include <gnnx/io/gzip.h>
#include <gtest/gtest.h>
#include <support/expect_error.h>
#include <support/gzip_file.h>
#include <support/temp_dir.h>

#include <fstream>
#include <string>

namespace gnnx::io {
namespace {

class GzipTest : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return (dir_.path() / name).string(); }

  /// Writes `text` gzip-compressed with zlib.
  std::string write_gzip(const std::string& name, const std::string& text) const {
    std::string p = path(name);
    gnnx::testing::write_gzip_file(p, text);
    return p;
  }

  std::string write_plain(const std::string& name, const std::string& bytes) const {
    std::string p = path(name);
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }

  static std::string read_plain(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  /// Expects read_text_file(p) to throw InputError "<problem> '<p>': ...".
  static void expect_read_error(const std::string& p, const std::string& problem) {
    gnnx::testing::expect_error([&] { read_text_file(p); }, problem + " '" + p + "': ");
  }

  gnnx::testing::TempDir dir_{"gnnx_gzip_test_"};
};

std::string sample_text() {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += std::to_string(i) + ", " + std::to_string(i * 7) + "\n";
  return text;  // larger than one 64 KiB read
}

TEST_F(GzipTest, GzippedFileRoundTrips) {
  const std::string text = sample_text();
  const std::string p = write_gzip("a.txt.gz", text);
  ASSERT_NE(read_plain(p), text);  // really compressed
  EXPECT_EQ(read_text_file(p), text);
}

TEST_F(GzipTest, DetectedByMagicBytesNotByName) {
  const std::string text = "1, 2\n3, 4\n";
  EXPECT_EQ(read_text_file(write_gzip("no_extension", text)), text);
  EXPECT_EQ(read_text_file(write_plain("plain.gz", text)), text);
}

TEST_F(GzipTest, PlainFilePassesThroughUnchanged) {
  const std::string bytes = std::string("a,b\r\n\0c\n", 8);
  EXPECT_EQ(read_text_file(write_plain("p.txt", bytes)), bytes);
  EXPECT_EQ(read_text_file(write_plain("empty.txt", "")), "");
}

TEST_F(GzipTest, TruncatedGzipIsAnError) {
  const std::string whole = read_plain(write_gzip("whole.gz", sample_text()));
  const std::string p = write_plain("cut.gz", whole.substr(0, whole.size() / 2));
  expect_read_error(p, "cannot read");
}

TEST_F(GzipTest, CorruptGzipIsAnError) {
  std::string bytes = read_plain(write_gzip("whole.gz", sample_text()));
  for (size_t i = 20; i < 60; ++i) bytes[i] = static_cast<char>(bytes[i] ^ 0x5A);
  expect_read_error(write_plain("bad.gz", bytes), "cannot read");
}

TEST_F(GzipTest, MissingFileAndDirectoryAreNamed) {
  expect_read_error(path("absent.txt"), "cannot open");
  expect_read_error(dir_.path().string(), "cannot open");
  gnnx::testing::expect_error([&] { read_text_file(dir_.path().string()); }, "it is a directory");
}

}  // namespace
}  // namespace gnnx::io
