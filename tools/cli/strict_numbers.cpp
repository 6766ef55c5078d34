#include "cli/strict_numbers.h"

#include <gnnx/io/number.h>

#include <string>

namespace gnnx::tools {
namespace {

enum class Kind { kSigned, kUnsigned, kReal, kOther };

// CLI11's type name of the option's value, before any validator's description ("INT:INT in
// [1 - 4096]" -> "INT").
Kind kind_of(const CLI::Option& option) {
  const std::string full = option.get_type_name();
  const std::string name = full.substr(0, full.find(':'));
  if (name == "INT") return Kind::kSigned;
  if (name == "UINT") return Kind::kUnsigned;
  if (name == "FLOAT") return Kind::kReal;
  return Kind::kOther;
}

CLI::Validator strict(Kind kind) {
  return {[kind](std::string& value) -> std::string {
            switch (kind) {
              case Kind::kSigned:
                if (io::to_integer<int64_t>(value)) return {};
                return "'" + value + "' is not a whole decimal number (or it is out of range)";
              case Kind::kUnsigned:
                if (io::to_integer<uint64_t>(value)) return {};
                return "'" + value +
                       "' is not a non-negative whole decimal number (or it is out of range)";
              case Kind::kReal:
                if (io::to_double(value, io::NonFinite::kReject)) return {};
                return "'" + value + "' is not a finite decimal number";
              case Kind::kOther:
                break;
            }
            return {};
          },
          /*validator_desc=*/""};
}

}  // namespace

void require_strict_numbers(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    const Kind kind = kind_of(*option);
    if (kind != Kind::kOther) option->check(strict(kind));
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    require_strict_numbers(*sub);
  }
}

}  // namespace gnnx::tools
