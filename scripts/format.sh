#!/usr/bin/env bash
# Formats gnnx's tracked C++ and CUDA files with the repository's .clang-format, using
# clang-format 14 (Debian bookworm's clang-format-14; other versions format differently).
#
#   scripts/format.sh                  format every tracked *.cpp *.cc *.h *.hpp *.cu *.cuh in place
#   scripts/format.sh --check          change nothing; list the files whose formatting differs and
#                                      exit 1 if there is any (CI runs this)
#   scripts/format.sh --check --diff   the same, and print the diff clang-format would apply
#   scripts/format.sh [--check] --changed BASE
#                                      only the files changed since `git merge-base BASE HEAD`
#                                      (work tree included)
#   scripts/format.sh [--check] FILE...
#                                      only these files
# Environment: CLANG_FORMAT (default clang-format-14).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

clang_format="${CLANG_FORMAT:-clang-format-14}"
check=0
show_diff=0
changed_base=""
files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=1; shift ;;
    --diff) show_diff=1; shift ;;
    --changed) changed_base="${2:?--changed needs a git revision}"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) echo "format: unknown option $1" >&2; exit 2 ;;
    *) files+=("$1"); shift ;;
  esac
done

if ! command -v "$clang_format" >/dev/null 2>&1; then
  echo "format: $clang_format not found (scripts/install-deps.sh installs clang-format-14)" >&2
  exit 2
fi
if ! "$clang_format" --version | grep -q 'version 14\.'; then
  echo "format: $clang_format is not clang-format 14; the tree is formatted with 14" >&2
  exit 2
fi

patterns=('*.cpp' '*.cc' '*.h' '*.hpp' '*.cu' '*.cuh')
if [ "${#files[@]}" -eq 0 ]; then
  if [ -n "$changed_base" ]; then
    base="$(git merge-base "$changed_base" HEAD)"
    mapfile -t files < <(git diff --name-only --diff-filter=d "$base" -- "${patterns[@]}")
  elif git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t files < <(git ls-files -- "${patterns[@]}")
  else  # not a git checkout (a source archive): every such file outside build folders
    mapfile -t files < <(find . -type d \( -name 'build*' -o -name '.?*' \) -prune -o -type f \
      \( -name '*.cpp' -o -name '*.cc' -o -name '*.h' -o -name '*.hpp' -o -name '*.cu' \
      -o -name '*.cuh' \) -print | sed 's|^\./||' | sort)
  fi
fi
if [ "${#files[@]}" -eq 0 ]; then
  echo "format: no files" >&2
  exit 0
fi

if [ "$check" = 0 ]; then
  printf '%s\0' "${files[@]}" | xargs -0 -n 50 "$clang_format" -i --style=file
  echo "format: formatted ${#files[@]} files with $("$clang_format" --version | grep -o 'version [0-9.]*')" >&2
  exit 0
fi

differ=()
for f in "${files[@]}"; do
  if ! "$clang_format" --style=file "$f" | cmp -s - "$f"; then
    differ+=("$f")
    if [ "$show_diff" = 1 ]; then
      "$clang_format" --style=file "$f" | diff -u --label "a/$f" --label "b/$f" "$f" - || true
    fi
  fi
done
if [ "${#differ[@]}" -gt 0 ]; then
  printf '%s\n' "${differ[@]}"
  echo "format: ${#differ[@]} of ${#files[@]} files differ from .clang-format; run scripts/format.sh" >&2
  exit 1
fi
echo "format: ${#files[@]} files formatted" >&2
