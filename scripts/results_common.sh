# Sourced by the results scripts (run from the repository root): the build folder, the results
# folder and the gnnx binary they share, and ensure_built.
# Environment: GNNX_BUILD_DIR (default build), GNNX_RESULTS_DIR (default results-out).
build_dir="${GNNX_BUILD_DIR:-build}"
out_dir="${GNNX_RESULTS_DIR:-results-out}"
gnnx="$build_dir/tools/gnnx"
mkdir -p "$out_dir"

# ensure_built PATH...: configures and builds (Release) the targets named by the paths' last
# component unless every PATH (relative to the build folder) is already an executable.
ensure_built() {
  local path missing=0 targets=()
  for path in "$@"; do
    [ -x "$build_dir/$path" ] || missing=1
    targets+=("$(basename "$path")")
  done
  [ "$missing" = 0 ] && return 0
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
  cmake --build "$build_dir" -j"$(nproc)" --target "${targets[@]}" >&2
}
