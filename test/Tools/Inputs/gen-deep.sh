#!/usr/bin/env bash
# Writes a module nested DEPTH levels deep in one way (KIND):
#   attr    an attribute of nested arrays
#   type    an argument of nested tuple types
#   region  nested scf.execute_region ops
# Usage: gen-deep.sh KIND DEPTH
set -euo pipefail
kind=$1 depth=$2
repeat() { local i; for ((i = 0; i < $2; ++i)); do printf '%s' "$1"; done; }
case $kind in
attr) printf 'func.func @f() attributes {x = '; repeat '[' "$depth"; repeat ']' "$depth"
  printf '} {\n  return\n}\n' ;;
type) printf 'func.func @f(%%a: '; repeat 'tuple<' "$depth"; printf 'i32'; repeat '>' "$depth"
  printf ') {\n  return\n}\n' ;;
region) printf 'func.func @f() {\n'; repeat $'scf.execute_region {\n' "$depth"
  repeat $'scf.yield\n}\n' "$depth"; printf 'return\n}\n' ;;
*) echo "gen-deep.sh: unknown kind '$kind'" >&2; exit 2 ;;
esac
