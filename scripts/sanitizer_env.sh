# Sourced by scripts/sanitize.sh and scripts/fuzz.sh: the sanitizers' runtime options, with the
# committed suppression files (tests/sanitizers/, each entry justified there). Exported, so the
# gnnx binary the CLI tests start runs under the same options.
supp="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/sanitizers"
# The suppressions name functions (RDKit::makeBond...), which match only in symbolised stacks:
# without llvm-symbolizer every report stops at a module name and RDKit's known leaks fail the
# run (a fresh machine without llvm-14 did). So it is required, not optional.
symbolizer="$(command -v llvm-symbolizer || echo /usr/lib/llvm-14/bin/llvm-symbolizer)"
if [ ! -x "$symbolizer" ]; then
  echo "sanitizer_env: llvm-symbolizer not found (apt-get install llvm-14)" >&2
  return 1
fi
sym="external_symbolizer_path=$symbolizer"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:suppressions=$supp/asan.supp:$sym"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp:$sym"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0:$sym"
# Sleeping OpenMP threads: tests and fuzzers run side by side (tests/CMakeLists.txt says why).
export OMP_WAIT_POLICY=PASSIVE
unset supp symbolizer sym
