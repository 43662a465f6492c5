#!/usr/bin/env bash
# Shows the state of one VM's part of the cluster (containers, Patroni members, etcd health) or of
# HAProxy's backends, or of every host in a hosts file over ssh. Read-only.
set -euo pipefail

PGHA_PROG=cluster-status.sh

usage() {
  target_usage
  cat <<'USAGE'
  --vm TARGET      1, 2 or 3: containers, "patronictl list" and etcd endpoint health/status
                   haproxy:   container and backend server states from the stats CSV on :7000
                   dev:       all of the above for the single-host dev cluster
  --env-file FILE  env file to use (default: deploy/.env.vmN, .env.haproxy or .env.dev)
  --hosts FILE     run this script on every host listed in FILE over ssh, in file order;
                   lines: TARGET SSH_DESTINATION KIT_DIRECTORY

Exits non-zero when a check could not be made or reports a problem (no leader, unhealthy etcd
endpoint, a listener without any server UP).
USAGE
}

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

target_args "$@"

on_hosts_or_target forward cluster-status.sh

pgha_target "$target" 0 "$env_file"
need_cmd docker "docker.io (Docker engine)"
problems=0

problem() {
  printf '%s: problem: %s\n' "$PGHA_PROG" "$*" >&2
  problems=1
}

section() { printf '\n== %s ==\n' "$*"; }

show_containers() { # show_containers NAME...
  section "containers"
  local name state
  for name in "$@"; do
    if state=$(docker inspect -f '{{.State.Status}} {{if .State.Health}}({{.State.Health.Status}}){{end}}' "$name" 2>/dev/null); then
      printf '%-12s %s\n' "$name" "$state"
      [[ $state == running* ]] || problem "container $name is $state"
    else
      printf '%-12s %s\n' "$name" "absent"
      problem "container $name does not exist"
    fi
  done
}

show_patroni() { # show_patroni CONTAINER
  section "patronictl list ($1)"
  local out
  if ! out=$(docker exec "$1" patronictl -c /home/postgres/postgres.yml list 2>&1); then
    printf '%s\n' "$out"
    problem "patronictl list failed in $1"
    return
  fi
  printf '%s\n' "$out"
  grep -Eq '\| *Leader *\|' <<<"$out" || problem "no member is Leader"
}

show_etcd() { # show_etcd CONTAINER
  section "etcd endpoint health ($1)"
  docker exec "$1" etcdctl --command-timeout=5s endpoint health --cluster -w table ||
    problem "an etcd endpoint is unhealthy or unreachable"
  section "etcd endpoint status ($1)"
  docker exec "$1" etcdctl --command-timeout=5s endpoint status --cluster -w table ||
    problem "etcd endpoint status failed"
}

# HAProxy's stats CSV; the credentials go to curl on stdin, not on its command line (ps would show them).
show_haproxy() { # show_haproxy ADDRESS
  section "HAProxy backends (http://$1:7000/stats;csv)"
  need_cmd curl curl
  local user password csv
  user=$(pgha_env HAPROXY_STATS_USER)
  password=$(pgha_env HAPROXY_STATS_PASSWORD)
  if ! csv=$(printf 'user = "%s:%s"\n' "$user" "$password" |
    curl -fsS --max-time 5 -K - "http://$1:7000/stats;csv"); then
    problem "cannot read the HAProxy stats CSV at $1:7000"
    return
  fi
  # Columns are looked up by name in the header, which differs between HAProxy versions.
  awk -F, '
    NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) col[$i] = i; next }
    $2 == "FRONTEND" || $1 == "stats" { next }
    $2 == "BACKEND" { up[$1] += 0; next }
    {
      printf "%-10s %-10s %-12s %-22s %s\n", $1, $2, $col["status"], $col["check_status"] " " $col["last_chk"], $col["agent_status"]
      if ($col["status"] ~ /^UP/) up[$1]++
    }
    END { for (b in up) if (up[b] == 0) { print "NO_SERVER_UP " b; bad = 1 } exit bad }
  ' <<<"$csv" | sed '1i listener   server     status       check                  agent' ||
    problem "a listener has no server UP (see NO_SERVER_UP above)"
}

haproxy_address() {
  local address
  address=$(pgha_env HAPROXY_BIND_ADDR)
  [[ -z $address || $address == '*' ]] && address=127.0.0.1
  printf '%s' "$address"
}

case $target in
  1 | 2 | 3)
    show_containers "etcd$target" "patroni$target"
    show_patroni "patroni$target"
    show_etcd "etcd$target"
    ;;
  haproxy)
    show_containers haproxy
    show_haproxy "$(haproxy_address)"
    ;;
  dev)
    show_containers etcd1 etcd2 etcd3 patroni1 patroni2 patroni3 haproxy
    show_patroni patroni1
    show_etcd etcd1
    show_haproxy 127.0.0.1
    ;;
esac
exit "$problems"
