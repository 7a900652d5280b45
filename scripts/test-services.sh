#!/usr/bin/env bash
# Makes sure the PostgreSQL and Redis servers the tests use are installed and
# running, and the speech programs and Chromium installed, then prints `export` lines for the tests' environment on stdout.
# Everything else goes to stderr. Safe to run again and again.
#
# Honours NEWSLINE_TEST_DATABASE_URL and NEWSLINE_TEST_REDIS_URL when set:
# then it only checks that they answer.
set -euo pipefail

log() { echo "test-services: $*" >&2; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
		log "need root to run: $*"; return 1
	fi
}

# apt_install installs every package named, in one apt-get run.
apt_install() {
	if ! command -v apt-get >/dev/null; then
		log "cannot install $* here: no apt-get; install them with your package manager"
		exit 1
	fi
	log "installing $*"
	as_root apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
	as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >&2
}

wait_for() { # description, command...
	local what=$1; shift
	for _ in $(seq 1 60); do
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 0.5
	done
	log "$what did not come up"
	return 1
}

# ---- What is missing, installed in one apt-get run ---------------------------
# Deploy checks (nginx -t, systemd-analyze verify): with NEWSLINE_REQUIRE_DEPLOY=1
# (make test) a missing one fails those tests. Speech (Festival with its HTS
# voice, espeak-ng, lame): with NEWSLINE_REQUIRE_AUDIO=1 a missing one fails
# the audio tests. Chromium, for the web app's browser test: Debian calls it
# chromium, other systems chromium-browser or google-chrome; with
# NEWSLINE_REQUIRE_BROWSER=1 the test fails without it.
pg_url=${NEWSLINE_TEST_DATABASE_URL:-}
redis_url=${NEWSLINE_TEST_REDIS_URL:-}
chromium=${NEWSLINE_CHROMIUM:-}
if [ -z "$chromium" ]; then
	for c in chromium chromium-browser google-chrome; do
		if command -v "$c" >/dev/null; then chromium=$(command -v "$c"); break; fi
	done
fi
missing=()
pg_installed=
if [ -z "$pg_url" ] && { ! command -v psql >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; }; then
	missing+=(postgresql postgresql-client)
	pg_installed=1
fi
if [ -z "$redis_url" ] && ! command -v redis-server >/dev/null; then missing+=(redis-server); fi
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then missing+=(nginx); fi
command -v systemd-analyze >/dev/null || missing+=(systemd)
while read -r p; do missing+=("$p"); done < <("$(dirname "$0")/install-audio.sh" --list)
if [ -z "$chromium" ]; then missing+=(chromium); fi
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
if [ -z "$chromium" ]; then chromium=$(command -v chromium); fi

# ---- PostgreSQL -------------------------------------------------------------
# A server this script starts (or installed just now) runs without fsync:
# the tests' databases are thrown away, and creating and dropping one per
# test is much faster. A server that was already running is left as it is.
fast_pg=(-o "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
if [ -z "$pg_url" ]; then
	version=
	if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
		version=$(ls /etc/postgresql | sort -V | tail -n1)
	fi
	if ! pg_isready -q -h 127.0.0.1 -p 5432; then
		if [ -n "$version" ]; then
			log "starting PostgreSQL $version (fsync off)"
			as_root pg_ctlcluster --skip-systemctl-redirect "${fast_pg[@]}" "$version" main start >&2 || true
		fi
		wait_for "PostgreSQL on 127.0.0.1:5432" pg_isready -q -h 127.0.0.1 -p 5432
	elif [ -n "$pg_installed" ] && [ -n "$version" ]; then
		# The package's install script started it: restart it without fsync.
		log "restarting PostgreSQL $version, just installed, with fsync off"
		as_root pg_ctlcluster --skip-systemctl-redirect "${fast_pg[@]}" "$version" main restart >&2 || true
		wait_for "PostgreSQL on 127.0.0.1:5432" pg_isready -q -h 127.0.0.1 -p 5432
	fi
	# Trust auth over TCP (the default on CI machines) works as is; a stock
	# Debian install wants a password there, so fall back to the local
	# socket with a superuser role named after this OS user.
	if psql "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable" -Atqc 'select 1' >/dev/null 2>&1; then
		pg_url="postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	else
		me=$(id -un)
		sock=/var/run/postgresql
		if ! psql "postgres:///postgres?host=$sock" -Atqc 'select 1' >/dev/null 2>&1; then
			log "creating PostgreSQL superuser role $me for the tests"
			as_root su postgres -c "psql -h $sock -Atqc \"CREATE ROLE \\\"$me\\\" SUPERUSER LOGIN\"" >&2 || true
		fi
		pg_url="postgres:///postgres?host=$sock"
		psql "$pg_url" -Atqc 'select 1' >/dev/null || { log "cannot connect to PostgreSQL as $me"; exit 1; }
	fi
else
	psql "$pg_url" -Atqc 'select 1' >/dev/null || { log "NEWSLINE_TEST_DATABASE_URL does not answer: $pg_url"; exit 1; }
fi

# ---- Redis ------------------------------------------------------------------
if [ -z "$redis_url" ]; then
	redis_url="redis://127.0.0.1:6379/0"
	if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
		log "starting Redis on 127.0.0.1:6379"
		mkdir -p /tmp/newsline-test-redis
		# 64 databases: parallel tests each reserve one (internal/testenv).
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --databases 64 \
			--dir /tmp/newsline-test-redis --logfile /tmp/newsline-test-redis/redis.log >&2
		wait_for "Redis on 127.0.0.1:6379" redis-cli -h 127.0.0.1 -p 6379 ping
	fi
fi

echo "export NEWSLINE_TEST_DATABASE_URL='$pg_url'"
echo "export NEWSLINE_TEST_REDIS_URL='$redis_url'"
echo "export NEWSLINE_CHROMIUM='$chromium'"
log "PostgreSQL: $pg_url  Redis: $redis_url"
