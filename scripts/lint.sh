#!/usr/bin/env bash
# Runs clang-tidy 14 (the checks in .clang-tidy) over gnnx's C++ sources, in parallel, and fails
# on any finding. Headers are checked through the sources that include them (HeaderFilterRegex).
#
#   scripts/lint.sh                  every translation unit in the compile database
#   scripts/lint.sh --changed BASE   only sources changed since `git merge-base BASE HEAD` (work
#                                    tree included), and those that include a changed header
#   scripts/lint.sh FILE.cpp...      only these sources
#   scripts/lint.sh --fix [...]      lint, then apply clang-tidy's automatic fixes (with
#                                    clang-apply-replacements: an edit in a header seen from many
#                                    sources is applied once); then scripts/format.sh, build, and
#                                    lint again for what is left
#   scripts/lint.sh --apply-fixes    apply the fixes the previous run exported (every run exports
#                                    them to $GNNX_LINT_BUILD_DIR/tidy-fixes/) without linting
#                                    again; only right after that run, on an unchanged tree
#   --list                           print the translation units it would check, and stop
#   -j N                             parallel clang-tidy processes (default: nproc)
#
# The compile database comes from a separate build folder (GNNX_LINT_BUILD_DIR, default
# build-lint), configured only (nothing is compiled) with -DGNNX_PCH=OFF: clang cannot read GCC's
# precompiled header. GCC-only flags clang does not know are stripped from the database. CUDA is
# off, so the .cu kernels and the CUDA glue (gnn/src/cuda/, bench/gcn_cuda_bench.cpp) are not
# linted. Findings go to stdout as `file:line:col: check: message`, sorted and without duplicates,
# then a count per check; the full clang-tidy output of each source is kept in
# $GNNX_LINT_BUILD_DIR/tidy-logs/. Environment: CLANG_TIDY (default clang-tidy-14),
# CLANG_APPLY_REPLACEMENTS (default clang-apply-replacements-14), GNNX_CMAKE_ARGS.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"

clang_tidy="${CLANG_TIDY:-clang-tidy-14}"
apply="${CLANG_APPLY_REPLACEMENTS:-clang-apply-replacements-14}"
build_dir="${GNNX_LINT_BUILD_DIR:-build-lint}"
jobs="$(nproc)"
changed_base=""
fix=0
list=0
apply_only=0
files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --changed) changed_base="${2:?--changed needs a git revision}"; shift 2 ;;
    --fix) fix=1; shift ;;
    --list) list=1; shift ;;
    --apply-fixes) apply_only=1; shift ;;
    -j) jobs="${2:?-j needs a number}"; shift 2 ;;
    -j*) jobs="${1#-j}"; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) echo "lint: unknown option $1" >&2; exit 2 ;;
    *) files+=("$1"); shift ;;
  esac
done

if ! command -v "$clang_tidy" >/dev/null 2>&1; then
  echo "lint: $clang_tidy not found (scripts/install-deps.sh installs clang-tidy-14)" >&2
  exit 2
fi
if ! "$clang_tidy" --version | grep -q 'version 14\.'; then
  echo "lint: $clang_tidy is not clang-tidy 14; .clang-tidy is written for 14" >&2
  exit 2
fi

log_dir="$build_dir/tidy-logs"
fixes_dir="$build_dir/tidy-fixes"
# One pass over all units' exported fixes: an edit in a header seen from several units is applied
# once; clang-apply-replacements then formats the changed lines (.clang-format).
apply_fixes() {
  if compgen -G "$fixes_dir/*.yaml" >/dev/null && grep -qs 'ReplacementText' "$fixes_dir"/*.yaml; then
    "$apply" --format --style=file "$fixes_dir"
    echo "lint: fixes applied; now scripts/format.sh, build, test, and scripts/lint.sh for the rest" >&2
  else
    echo "lint: no automatic fixes in $fixes_dir" >&2
  fi
}
if [ "$apply_only" = 1 ]; then
  apply_fixes
  exit 0
fi

# --- compile database, PCH-free -----------------------------------------------------------------
# shellcheck disable=SC2086  # GNNX_CMAKE_ARGS is a list of arguments
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGNNX_PCH=OFF \
  -DGNNX_WITH_CUDA=OFF -DCMAKE_EXPORT_COMPILE_COMMANDS=ON ${GNNX_CMAKE_ARGS:-} >/dev/null
db_dir="$build_dir/tidy-db"
mkdir -p "$db_dir"
# GCC-only options (clang: "unknown argument") and any PCH options, should a PCH build sneak in.
sed -e 's/ -fno-loop-unroll-and-jam//g' \
    -e 's/ -Winvalid-pch//g' \
    -e 's/ -include [^ "]*cmake_pch\.hxx//g' \
    -e 's/ -Xclang -include-pch -Xclang [^ "]*//g' \
    "$build_dir/compile_commands.json" > "$db_dir/compile_commands.json"

# Translation units of the database that are in this tree (not generated, not outside).
mapfile -t all_units < <(sed -n 's/^ *"file": "\(.*\)",\{0,1\}$/\1/p' "$db_dir/compile_commands.json" |
  sed "s|^$root/||" | grep -v '^/' | sort -u)

if [ "${#files[@]}" -gt 0 ]; then
  units=("${files[@]}")
elif [ -n "$changed_base" ]; then
  base="$(git merge-base "$changed_base" HEAD)"
  mapfile -t changed < <(git diff --name-only --diff-filter=d "$base" -- \
    '*.cpp' '*.cc' '*.h' '*.hpp')
  # Headers: every unit that includes one, directly or through other headers (matched by file
  # name, so this may lint a few units too many, never too few).
  headers=()
  for f in "${changed[@]}"; do
    case "$f" in *.h|*.hpp) headers+=("$(basename "$f")") ;; esac
  done
  seen=" ${headers[*]} "
  while [ "${#headers[@]}" -gt 0 ]; do
    pattern="$(printf '%s\n' "${headers[@]}" | sed 's/\./\\./g' | paste -sd'|')"
    mapfile -t includers < <(git ls-files '*.h' '*.hpp' '*.cpp' '*.cc' |
      xargs grep -lE "#include [<\"]([^>\"]*/)?($pattern)[>\"]" || true)
    headers=()
    for f in "${includers[@]}"; do
      case "$f" in
        *.h|*.hpp)
          b="$(basename "$f")"
          if [[ "$seen" != *" $b "* ]]; then headers+=("$b"); seen+="$b "; fi ;;
        *) changed+=("$f") ;;
      esac
    done
  done
  units=()
  for u in "${all_units[@]}"; do
    for c in "${changed[@]}"; do
      if [ "$u" = "$c" ]; then units+=("$u"); break; fi
    done
  done
else
  units=("${all_units[@]}")
fi
if [ "${#units[@]}" -eq 0 ]; then
  echo "lint: no translation units to check" >&2
  exit 0
fi
if [ "$list" = 1 ]; then
  printf '%s\n' "${units[@]}"
  exit 0
fi

# --- clang-tidy, one process per unit -----------------------------------------------------------
rm -rf "$log_dir" "$fixes_dir"
mkdir -p "$log_dir" "$fixes_dir"
echo "lint: $("$clang_tidy" --version | grep -o 'version [0-9.]*'), ${#units[@]} units, $jobs jobs" >&2
start=$SECONDS
export clang_tidy db_dir log_dir fixes_dir
# Each unit writes its log and its fixes under a name made from its path; a unit
# that clang-tidy could not compile leaves a .failed marker.
printf '%s\n' "${units[@]}" | xargs -P "$jobs" -I{} bash -c '
  u="$1"; name="$(echo "$u" | tr / _)"; t0=$SECONDS
  if ! "$clang_tidy" -p "$db_dir" --quiet --export-fixes="$fixes_dir/$name.yaml" "$u" \
      >"$log_dir/$name.log" 2>&1; then
    if grep -q "clang-diagnostic-error\|Found compiler error" "$log_dir/$name.log"; then
      touch "$log_dir/$name.failed"
    fi
  fi
  echo "lint: $u $((SECONDS - t0)) s" >&2
' _ {}
echo "lint: ${#units[@]} units in $((SECONDS - start)) s" >&2

# --- findings: file:line:col: check: message, relative paths, duplicates removed -----------------
findings="$build_dir/tidy-findings.txt"
cat "$log_dir"/*.log |
  sed -n 's/^\([^ :][^:]*\):\([0-9]*\):\([0-9]*\): \(warning\|error\): \(.*\) \[\([^]]*\)\]$/\1:\2:\3: \6: \5/p' |
  sed "s|^$root/||" | sort -t: -k1,1 -k2,2n -k3,3n -k4 -u > "$findings"
failed=("$log_dir"/*.failed)
status=0
if [ -s "$findings" ]; then
  cat "$findings"
  echo "--- findings per check" >&2
  sed 's/^[^:]*:[0-9]*:[0-9]*: \([^:]*\): .*/\1/' "$findings" | sort | uniq -c | sort -rn >&2
  echo "lint: $(wc -l < "$findings") findings" >&2
  status=1
fi
if [ -e "${failed[0]}" ]; then
  echo "lint: clang-tidy could not compile: $(basename -a -s .failed "${failed[@]}" | tr '\n' ' ')" >&2
  status=1
fi

if [ "$fix" = 1 ]; then
  apply_fixes
  exit 0
fi
[ "$status" -eq 0 ] && echo "lint: clean" >&2
exit "$status"
