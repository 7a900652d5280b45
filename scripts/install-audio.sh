#!/usr/bin/env bash
# Installs what Newsline's speech needs when it is missing: Festival with
# the HTS voice for English, espeak-ng for every other language, and lame
# for MP3. Safe to run again and again; prints nothing on stdout (but see
# --list).
set -euo pipefail

log() { echo "install-audio: $*" >&2; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
		log "need root to run: $*"; return 1
	fi
}

missing=()
command -v festival >/dev/null || missing+=(festival)
# Debian's HTS voice lives here; Festival without it falls back to a
# diphone voice that sounds far worse, so its absence counts as missing.
ls /usr/share/festival/voices/us/cmu_us_slt_arctic_hts >/dev/null 2>&1 || missing+=(festvox-us-slt-hts)
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
command -v lame >/dev/null || missing+=(lame)

# --list prints the missing packages' names, one a line, and installs
# nothing: scripts/test-services.sh installs them with everything else in
# one apt-get run.
if [ "${1:-}" = --list ]; then
	if [ ${#missing[@]} -gt 0 ]; then printf '%s\n' "${missing[@]}"; fi
	exit 0
fi
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if ! command -v apt-get >/dev/null; then
	log "missing ${missing[*]}; no apt-get here: install them with your package manager"
	exit 1
fi
log "installing ${missing[*]}"
as_root apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
