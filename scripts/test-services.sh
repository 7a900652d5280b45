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

apt_updated=
apt_install() {
	if ! command -v apt-get >/dev/null; then
		log "cannot install $* here: no apt-get; install it with your package manager"
		exit 1
	fi
	if [ -z "$apt_updated" ]; then
		as_root apt-get update -qq >&2
		apt_updated=1
	fi
	log "installing $*"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
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

# ---- PostgreSQL -------------------------------------------------------------
pg_url=${NEWSLINE_TEST_DATABASE_URL:-}
if [ -z "$pg_url" ]; then
	if ! command -v psql >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
		apt_install postgresql postgresql-client
	fi
	if ! pg_isready -q -h 127.0.0.1 -p 5432; then
		if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
			version=$(ls /etc/postgresql | sort -V | tail -n1)
			log "starting PostgreSQL $version"
			as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
		fi
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
redis_url=${NEWSLINE_TEST_REDIS_URL:-}
if [ -z "$redis_url" ]; then
	command -v redis-server >/dev/null || apt_install redis-server
	redis_url="redis://127.0.0.1:6379/0"
	if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
		log "starting Redis on 127.0.0.1:6379"
		mkdir -p /tmp/newsline-test-redis
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
			--dir /tmp/newsline-test-redis --logfile /tmp/newsline-test-redis/redis.log >&2
		wait_for "Redis on 127.0.0.1:6379" redis-cli -h 127.0.0.1 -p 6379 ping
	fi
fi

# ---- Deploy checks (nginx -t, systemd-analyze verify) -------------------------
# With NEWSLINE_REQUIRE_DEPLOY=1 (make test) a missing one fails those tests.
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then apt_install nginx; fi
command -v systemd-analyze >/dev/null || apt_install systemd

# ---- Speech (Festival with its HTS voice, espeak-ng, lame) --------------------
# The audio tests need them; with NEWSLINE_REQUIRE_AUDIO=1 (make test) a
# missing one fails those tests rather than skipping them.
"$(dirname "$0")/install-audio.sh"

# ---- Chromium, for the web app's browser test -------------------------------
# Debian calls it chromium; other systems chromium-browser or google-chrome.
# With NEWSLINE_REQUIRE_BROWSER=1 (make test) the test fails without it.
chromium=${NEWSLINE_CHROMIUM:-}
if [ -z "$chromium" ]; then
	for c in chromium chromium-browser google-chrome; do
		if command -v "$c" >/dev/null; then chromium=$(command -v "$c"); break; fi
	done
fi
if [ -z "$chromium" ]; then
	apt_install --no-install-recommends chromium
	chromium=$(command -v chromium)
fi

echo "export NEWSLINE_TEST_DATABASE_URL='$pg_url'"
echo "export NEWSLINE_TEST_REDIS_URL='$redis_url'"
echo "export NEWSLINE_CHROMIUM='$chromium'"
log "PostgreSQL: $pg_url  Redis: $redis_url"
