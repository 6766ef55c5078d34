# Sourced by scripts/sanitize.sh and scripts/fuzz.sh: the sanitizers' runtime options, with the
# committed suppression files (tests/sanitizers/, each entry justified there). Exported, so the
# gnnx binary the CLI tests start runs under the same options.
supp="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/sanitizers"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:suppressions=$supp/asan.supp"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
# Sleeping OpenMP threads: tests and fuzzers run side by side (tests/CMakeLists.txt says why).
export OMP_WAIT_POLICY=PASSIVE
unset supp
