#include <gnnx/benchmarks/shared_data.h>

#include <cstdlib>

namespace gnnx::benchmarks {

std::string shared_data_dir(const std::string& given) {
  if (!given.empty()) return given;
  const char* env = std::getenv("GNNX_SHARED_DATA");
  return env != nullptr && *env != '\0' ? env : "../shared/data";
}

}  // namespace gnnx::benchmarks
