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

# every_method: the registry's methods, comma-separated for --method, but GNNX_SKIP_METHODS'
# (comma-separated; default subgraphx: at DIG's defaults it takes seconds per graph and minutes
# per node, hours for a benchmark's targets; set GNNX_SKIP_METHODS= to include it).
every_method() {
  "$gnnx" methods --json | python3 -c 'import json, sys
skip = set(filter(None, sys.argv[1].split(",")))
print(",".join(m["name"] for m in json.load(sys.stdin) if m["name"] not in skip))' \
    "${GNNX_SKIP_METHODS-subgraphx}"
}

# evaluate_missing JSON GNNX_ARGS...: runs `gnnx GNNX_ARGS --method M --json` (GNNX_ARGS: global
# options, then `evaluate` and its flags) for the methods of GNNX_METHODS (comma-separated;
# default every_method) that the rows kept in JSON (an array) lack, and appends its rows there.
# Adding a method to the registry then evaluates only that one; nothing runs when none is missing.
evaluate_missing() {
  local json="$1" missing
  shift
  [ -s "$json" ] || echo '[]' > "$json"
  "$gnnx" methods --json > "$json.methods"
  missing=$(python3 - "$json.methods" "$json" "${GNNX_METHODS:-$(every_method)}" <<'PY'
import json, sys
have = {row["method"] for row in json.load(open(sys.argv[2]))}
wanted = [m["name"] for m in json.load(open(sys.argv[1]))]
wanted = [m for m in sys.argv[3].split(",") if m in wanted]
print(",".join(m for m in wanted if m not in have))
PY
)
  rm -f "$json.methods"
  [ -n "$missing" ] || return 0
  "$gnnx" "$@" --method "$missing" --json > "$json.new"
  python3 - "$json" "$json.new" <<'PY'
import json, sys
new = json.load(open(sys.argv[2]))
json.dump(json.load(open(sys.argv[1])) + (new if isinstance(new, list) else [new]),
          open(sys.argv[1], "w"))
PY
  rm -f "$json.new"
}
