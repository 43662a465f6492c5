# shellcheck shell=bash
# Installs from Debian's packages only what is missing. A package that cannot be installed stops
# everything with one line naming it, before anything is started.

# PGHA_EXTRA_PKGS: more packages to install with these (space separated), e.g. PostgreSQL extensions.
read -r -a EXTRA_PKGS <<<"${PGHA_EXTRA_PKGS:-}"
RUNTIME_PKGS=(etcd-server etcd-client patroni postgresql-15 haproxy python3-psycopg2 curl iproute2 util-linux openssl "${EXTRA_PKGS[@]}")
TEST_PKGS=(maven openjdk-17-jdk-headless docker-compose shellcheck prometheus chromium faketime)

pkg_missing() {
  local p out=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || out+=("$p")
  done
  printf '%s\n' "${out[@]}"
}

ensure_packages() {
  local -a missing
  mapfile -t missing < <(pkg_missing "$@")
  [ "${#missing[@]}" -gt 0 ] && [ -n "${missing[0]}" ] || return 0
  say "installing from Debian's packages: ${missing[*]}"
  local log="/tmp/pgha-local-apt.$$.log"
  # The packages' own services are not wanted: pgha-local runs its own processes. policy-rc.d
  # keeps postinst scripts from starting a second etcd or PostgreSQL on the host.
  local had_policy=1
  [ -e /usr/sbin/policy-rc.d ] || { had_policy=0; printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; }
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    [ "$had_policy" = 1 ] || rm -f /usr/sbin/policy-rc.d
    local why
    why=$(grep -E '^E:' "$log" | head -n1)
    die "cannot install ${missing[*]}: ${why:-apt-get failed, see $log}"
  fi
  [ "$had_policy" = 1 ] || rm -f /usr/sbin/policy-rc.d
  rm -f "$log"
}
