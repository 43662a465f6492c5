# shellcheck shell=bash
# Which Patroni the local cluster runs, and getting it.
#
# Not Debian 12's own package: Patroni 3.0.2's etcd3 update_leader() writes the leader key with a plain put
# whenever its lease changed, without comparing the key's value (fixed in 3.0.3, patroni#2693). A leader that
# was cut off or frozen for longer than the TTL comes back with a new lease and a stale view, overwrites the
# key the promoted replica created, and Patroni then demotes that replica ("immediate-nolock") and rewinds it:
# every write the new leader acknowledged is gone (FaultIT and the fault bench reproduce it with
# PGHA_PATRONI=system). So the local cluster runs Patroni 4.1.5 from
# Debian's own archive (the package of Debian unstable, pure Python, running on Debian 12's python3 and the
# libraries Debian 12's patroni package pulls in), unpacked into a cache directory, never installed over
# the system's. The Compose files pin Spilo 3.2-p3 (Patroni 3.2.x, which has the fix) for the same reason.
#
# PGHA_PATRONI: a Debian version of the patroni package (default the pinned one below), or "system" for
# /usr/bin/patroni from Debian 12 (3.0.2: only to reproduce the lost-write fault, never for real use).

# The choice made at the first `up` is kept in the state directory, so a later start-node runs the same one.
if [ -z "${PGHA_PATRONI:-}" ] && [ -s "$PGHA_STATE_DIR/patroni" ]; then PGHA_PATRONI=$(cat "$PGHA_STATE_DIR/patroni"); fi
PGHA_PATRONI=${PGHA_PATRONI:-4.1.5-2}
# The pinned default and its SHA-256, as Debian unstable's signed index listed it on 2026-12-03.
PATRONI_PIN_VERSION=4.1.5-2
PATRONI_PIN_SHA256=eeef341d5a4f92d96973934bc49c18a93ba5bc143796468e2d0475c543db9032
PATRONI_CACHE=${PGHA_PATRONI_CACHE:-/var/cache/pgha-local}
DEBIAN_MIRROR=${PGHA_DEBIAN_MIRROR:-http://deb.debian.org/debian}

patroni_home() { printf '%s/patroni-%s' "$PATRONI_CACHE" "$PGHA_PATRONI"; }

# The command that starts Patroni (one word per line), for spawn.
patroni_command() {
  if [ "$PGHA_PATRONI" = system ]; then
    printf '%s\n' patroni
  else
    printf '%s\n' env "PYTHONPATH=$(patroni_home)/usr/lib/python3/dist-packages" /usr/bin/python3 "$(patroni_home)/usr/bin/patroni"
  fi
}

# The version the started Patroni reports, for status and the test logs; "not installed" before the first `up`.
patroni_version() {
  local -a cmd
  local v
  mapfile -t cmd < <(patroni_command)
  v=$("${cmd[@]}" --version 2>/dev/null | awk '{print $2}') || v=""
  printf '%s\n' "${v:-not installed}"
}

ensure_patroni() {
  if [ "$PGHA_PATRONI" = system ]; then
    remember_patroni
    warn "PGHA_PATRONI=system: running Debian 12's Patroni $(patroni --version 2>/dev/null | awk '{print $2}'), which overwrites a newer leader's key after a partition or a freeze and loses its acknowledged writes (docs/operations.md); only for reproducing that"
    return 0
  fi
  local home
  home=$(patroni_home)
  [ -f "$home/.verified" ] && { remember_patroni; return 0; }
  local sha="" file="pool/main/p/patroni/patroni_${PGHA_PATRONI}_all.deb"
  if [ "$PGHA_PATRONI" = "$PATRONI_PIN_VERSION" ]; then
    sha=$PATRONI_PIN_SHA256
  else
    local found
    found=$(debian_index_lookup patroni "$PGHA_PATRONI") || die "patroni $PGHA_PATRONI is not in Debian's signed trixie or unstable index (PGHA_PATRONI)"
    read -r file sha <<<"$found"
  fi
  local tmp
  tmp=$(mktemp -d "$PATRONI_CACHE.tmp.XXXXXX" 2>/dev/null) || { mkdir -p "$PATRONI_CACHE" && tmp=$(mktemp -d "$PATRONI_CACHE/.tmp.XXXXXX"); }
  say "fetching Patroni $PGHA_PATRONI from Debian's archive ($DEBIAN_MIRROR/$file)"
  if ! curl -fsS --max-time 120 -o "$tmp/patroni.deb" "$DEBIAN_MIRROR/$file"; then
    rm -rf "$tmp"
    die "cannot fetch $DEBIAN_MIRROR/$file; set PGHA_PATRONI to a version in Debian's trixie or unstable index, or PGHA_DEBIAN_MIRROR"
  fi
  local got
  got=$(sha256sum "$tmp/patroni.deb" | awk '{print $1}')
  if [ "$got" != "$sha" ]; then
    rm -rf "$tmp"
    die "patroni_${PGHA_PATRONI}_all.deb has SHA-256 $got, expected $sha; not using it"
  fi
  dpkg-deb -x "$tmp/patroni.deb" "$tmp/root" || { rm -rf "$tmp"; die "cannot unpack patroni_${PGHA_PATRONI}_all.deb"; }
  local missing
  if ! missing=$(PYTHONPATH="$tmp/root/usr/lib/python3/dist-packages" /usr/bin/python3 -c '
import importlib, sys
for m in ("patroni.dcs.etcd3", "patroni.ha", "patroni.api", "psycopg2", "etcd", "urllib3", "yaml", "psutil", "dateutil", "click", "prettytable"):
    try:
        importlib.import_module(m)
    except Exception as e:
        print(f"{m}: {e}")
        sys.exit(1)' 2>&1); then
    rm -rf "$tmp"
    die "Patroni $PGHA_PATRONI does not run on this python3 ($missing); install Debian 12's patroni package for its libraries"
  fi
  rm -rf "$home"
  mkdir -p "$(dirname "$home")"
  mv "$tmp/root" "$home"
  printf '%s  patroni_%s_all.deb\n' "$sha" "$PGHA_PATRONI" >"$home/.verified"
  chmod -R a+rX "$home"
  rm -rf "$tmp"
  remember_patroni
}

remember_patroni() {
  [ -d "$PGHA_STATE_DIR" ] || return 0
  printf '%s\n' "$PGHA_PATRONI" >"$PGHA_STATE_DIR/patroni"
}

# debian_index_lookup PACKAGE VERSION: "FILENAME SHA256" of an arch-all package in trixie's or unstable's
# index, both checked against Debian's archive keys (InRelease signature, then the index's own hash).
debian_index_lookup() {
  local pkg=$1 version=$2 suite tmp out=""
  tmp=$(mktemp -d)
  for suite in trixie sid; do
    curl -fsS --max-time 60 -o "$tmp/InRelease" "$DEBIAN_MIRROR/dists/$suite/InRelease" || continue
    gpgv --keyring /usr/share/keyrings/debian-archive-keyring.gpg --output "$tmp/Release" "$tmp/InRelease" 2>/dev/null || continue
    local want
    want=$(awk '/^SHA256:/{s=1; next} /^[A-Za-z]/{s=0} s && $3 == "main/binary-all/Packages.xz" {print $1}' "$tmp/Release")
    [ -n "$want" ] || continue
    curl -fsS --max-time 120 -o "$tmp/Packages.xz" "$DEBIAN_MIRROR/dists/$suite/main/binary-all/Packages.xz" || continue
    [ "$(sha256sum "$tmp/Packages.xz" | awk '{print $1}')" = "$want" ] || continue
    out=$(xz -dc "$tmp/Packages.xz" | awk -v p="$pkg" -v v="$version" '
      /^Package: / {pk = $2} /^Version: / {ve = $2} /^Filename: / {fi = $2} /^SHA256: / {sh = $2}
      /^$/ { if (pk == p && ve == v) { print fi, sh; exit } pk = ve = fi = sh = "" }')
    [ -z "$out" ] || break
  done
  rm -rf "$tmp"
  [ -n "$out" ] || return 1
  printf '%s\n' "$out"
}
