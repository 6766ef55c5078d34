#pragma once
// Runs the gnnx binary (path in GNNX_CLI, from CMake) in a directory, capturing stdout, stderr
// and the exit code, for command-line tests.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace gnnx::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;  ///< stdout
  std::string err;  ///< stderr
};

inline std::string read_whole_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Single-quotes an argument for /bin/sh.
inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

/// `gnnx ARGS` (ARGS as shell words) in `dir`, stdin from `stdin_path` (relative to `dir`;
/// default /dev/null).
inline CliResult run_gnnx(const std::filesystem::path& dir, const std::string& args,
                          const std::string& stdin_path = "/dev/null") {
  const std::filesystem::path err_file = dir / "stderr.txt";
  const std::string cmd = "cd " + shell_quote(dir.string()) + " && " + shell_quote(GNNX_CLI) + " " +
                          args + " 2>" + shell_quote(err_file.string()) + " <" +
                          shell_quote(stdin_path);
  CliResult r;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.err = read_whole_file(err_file);
  return r;
}

}  // namespace gnnx::testing
