#!/usr/bin/env bash
# Checks that imports point one way (CONTRIBUTING.md, "Layout"):
#
#   cmd/...  ->  api, jobs  ->  library packages  ->  newsline (root)
#
# - the root package imports no package of this module;
# - library packages (everything but api, jobs and cmd/...) never depend on
#   api, jobs or cmd/..., not even in their tests;
# - api and jobs never depend on each other, nor on cmd/...;
# - search does not depend on extract;
# - library packages never depend on internal/metrics (the Prometheus
#   instrumentation): they offer hooks that api, jobs and cmd/... connect;
# - test support (internal/testenv, internal/faultproxy, internal/testaudio)
#   is never part of a non-test build, and internal/testsite only of the
#   binary's dev mode and the benchmark harness (cmd/newsline,
#   cmd/newsline/internal/bench).
#
# Dependencies are transitive (go list's .Deps), so a rule cannot be dodged
# through a package in between. Prints every violation; exits 1 if any.
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
mod=$($GO list -m)
status=0

violation() {
	echo "check-imports: $1" >&2
	status=1
}

# rel strips the module path: "" for the root package, "search", "cmd/newsline", …
rel() {
	local p=${1#"$mod"}
	echo "${p#/}"
}

is_edge() { # api, jobs and cmd/... may import library packages, not the reverse
	case $1 in api | jobs | cmd | cmd/*) return 0 ;; esac
	return 1
}

is_cmd() { case $1 in cmd | cmd/*) return 0 ;; esac; return 1; }

# check PKG DEP KIND: the rules for one dependency of one package.
check() {
	local pkg=$1 dep=$2 kind=$3
	[ "$dep" = "$pkg" ] && return 0
	local shown=${pkg:-newsline (root)}
	if [ -z "$pkg" ] && [ "$kind" = deps ]; then
		violation "the root package depends on $dep: it imports no sub-package"
	fi
	if ! is_edge "$pkg" && is_edge "$dep"; then
		violation "library package $shown depends on $dep ($kind): only cmd/... may use api and jobs"
	fi
	if [ "$dep" = internal/metrics ] && ! is_edge "$pkg"; then
		violation "library package $shown depends on internal/metrics ($kind): offer a hook (a func or an interface) that api, jobs or cmd/... connect"
	fi
	if ! is_cmd "$pkg" && is_cmd "$dep"; then
		violation "$shown depends on $dep ($kind): nothing outside cmd/ imports cmd/..."
	fi
	[ "$kind" = deps ] || return 0
	case "$pkg>$dep" in
	"api>jobs" | "jobs>api")
		violation "$pkg depends on $dep: api and jobs never import each other" ;;
	"search>extract")
		violation "search depends on extract: the shared table belongs in the root package" ;;
	esac
	case $dep in
	internal/testenv | internal/faultproxy | internal/testaudio)
		violation "$shown depends on $dep outside its tests: test support stays out of the build" ;;
	internal/testsite)
		case $pkg in
		cmd/newsline | cmd/newsline/internal/bench) ;;
		*) violation "$shown depends on $dep outside its tests: only cmd/newsline (dev --testsite) and the bench harness may" ;;
		esac ;;
	esac
}

# One line per package: its path, then its transitive non-test dependencies.
# (Read into a variable first, so that a failing go list fails the check.)
deps_list=$($GO list -f '{{.ImportPath}}{{range .Deps}} {{.}}{{end}}' ./...)
tests_list=$($GO list -f '{{.ImportPath}}{{range .TestImports}} {{.}}{{end}}{{range .XTestImports}} {{.}}{{end}}' ./...)

while read -r pkg deps; do
	p=$(rel "$pkg")
	for d in $deps; do
		case $d in "$mod" | "$mod"/*) check "$p" "$(rel "$d")" deps ;; esac
	done
done <<<"$deps_list"

# Tests: a library package's tests may use test support, but not the edge.
while read -r pkg imports; do
	p=$(rel "$pkg")
	for d in $imports; do
		case $d in "$mod" | "$mod"/*) check "$p" "$(rel "$d")" tests ;; esac
	done
done <<<"$tests_list"

if [ "$status" -eq 0 ]; then
	echo "check-imports: ok"
fi
exit "$status"
