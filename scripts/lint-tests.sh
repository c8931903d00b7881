#!/usr/bin/env bash
# Catches the test anchors that silently check nothing: a FileCheck directive
# without its colon (FileCheck skips it) and a misspelt or malformed
# expected-* diagnostic (-verify-diagnostics ignores it).
# Usage: scripts/lint-tests.sh [test-dir]   (exits 1 and lists the lines)
set -u
dir=${1:-"$(dirname "$0")/../test"}
status=0
while IFS= read -r -d '' file; do
  # The check prefixes this file uses: CHECK plus any --check-prefix(es)=.
  prefixes=$(grep -oE -- '--check-prefix(es)?[= ][A-Za-z0-9_,-]+' "$file" |
    sed -E 's/--check-prefix(es)?[= ]//' | tr ',' '\n' | sort -u)
  for prefix in CHECK $prefixes; do
    if grep -nE "^[[:space:]]*(//|#|;)[[:space:]]*${prefix}(-(NEXT|SAME|DAG|NOT|LABEL|EMPTY|COUNT-[0-9]+))?([[:space:]]|$)" "$file"; then
      echo "$file: '${prefix}' directive without a colon (FileCheck skips it)"
      status=1
    fi
  done
  if grep -nE 'expected-[a-z]+' "$file" | grep -vE 'expected-(error|warning|note|remark)' ; then
    echo "$file: unknown expected-* directive (-verify-diagnostics ignores it)"
    status=1
  fi
  if grep -nE 'expected-(error|warning|note|remark)' "$file" | grep -vE 'expected-(error|warning|note|remark) *(@[^ ]+ *)?\{\{'; then
    echo "$file: expected-* directive without a {{message}}"
    status=1
  fi
done < <(find "$dir" \( -name '*.mlir' -o -name '*.test' \) -not -path '*/Inputs/*' -print0)
exit $status
