# shellcheck shell=bash
# Shared helpers for pgha-local: paths, messages, PID bookkeeping, secrets.
# Every process pgha-local starts gets a PID file; nothing else is ever signalled.

# PGHA_INSTANCE=K (0-9) runs a further, independent cluster beside the default one: its own state
# directory, namespaces, bridge, subnet and HAProxy address (127.0.K.1, the same ports).
PGHA_INSTANCE=${PGHA_INSTANCE:-0}
case "$PGHA_INSTANCE" in [0-9]) ;; *) printf 'pgha-local: PGHA_INSTANCE must be 0-9, not %s\n' "$PGHA_INSTANCE" >&2; exit 1 ;; esac
if [ "$PGHA_INSTANCE" = 0 ]; then INSTANCE_TAG=pgha; else INSTANCE_TAG="pgha$PGHA_INSTANCE"; fi
PGHA_STATE_DIR=${PGHA_STATE_DIR:-/var/lib/pgha-local${PGHA_INSTANCE#0}}
PGHA_SUBNET=${PGHA_SUBNET:-10.231.$PGHA_INSTANCE}
HAPROXY_ADDR=127.0.$PGHA_INSTANCE.1
PGHA_SCOPE=${PGHA_SCOPE:-postgres-ha}
PGHA_NAMESPACE=${PGHA_NAMESPACE:-/service}
PGHA_AGENT_HTTP_PORT=${PGHA_AGENT_HTTP_PORT:-8180}
PGHA_AGENT_CHECK_PORT=${PGHA_AGENT_CHECK_PORT:-5480}
PGHA_UP_TIMEOUT=${PGHA_UP_TIMEOUT:-180}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
NODES=(1 2 3)
HAPROXY_PORTS=(5000 5001 5002 7000)

say() { printf 'pgha-local: %s\n' "$*"; }
warn() { printf 'pgha-local: %s\n' "$*" >&2; }
die() { printf 'pgha-local: %s\n' "$*" >&2; exit 1; }

need_root() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (it creates namespaces and runs PostgreSQL as the postgres user)"
}

node_dir() { printf '%s/node%s' "$PGHA_STATE_DIR" "$1"; }
member_name() { printf 'patroni%s' "$1"; }
pid_file() { printf '%s/pids/%s.pid' "$PGHA_STATE_DIR" "$1"; }

# The network mode is chosen once, at the first `up`, and kept in the state directory so that
# later verbs address the same nodes.
net_mode() {
  if [ -f "$PGHA_STATE_DIR/mode" ]; then cat "$PGHA_STATE_DIR/mode"; else printf 'none'; fi
}

node_addr() {
  case "$(net_mode)" in
    loopback) printf '127.0.%s.1%s' "$PGHA_INSTANCE" "$1" ;;
    *) printf '%s.1%s' "$PGHA_SUBNET" "$1" ;;
  esac
}

ns_name() { printf '%s-n%s' "$INSTANCE_TAG" "$1"; }

valid_node() {
  case "${1:-}" in
    1|2|3) return 0 ;;
    *) die "unknown node '${1:-}': nodes are 1, 2 and 3" ;;
  esac
}

# Node 4 is the one node beyond the three, there only between `add-node 4` and `remove-node 4` (its directory
# carries the mark). Every other verb keeps the three-node default; these take node 4 too while it is there.
EXTRA_NODE=4
node4_present() { [ -f "$(node_dir "$EXTRA_NODE")/added" ]; }
present_nodes() {
  printf '%s\n' "${NODES[@]}"
  if node4_present; then printf '%s\n' "$EXTRA_NODE"; fi
}
valid_present_node() {
  if [ "${1:-}" = "$EXTRA_NODE" ] && node4_present; then return 0; fi
  valid_node "${1:-}"
}

# A PID counts as ours only while its command line still carries the marker we started it with,
# so a PID reused by another process after a crash is never signalled.
pid_alive() {
  local name=$1 f pid
  f=$(pid_file "$name")
  [ -f "$f" ] || return 1
  pid=$(head -n1 "$f" 2>/dev/null)
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  local marker
  marker=$(sed -n 2p "$f")
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"
}

pid_of() { head -n1 "$(pid_file "$1")" 2>/dev/null; }

# spawn NAME MARKER LOG NODE|- USER -- CMD...: start CMD detached (own session), inside node's
# namespace when in netns mode, as USER, recording its PID. The exec chain keeps the PID: setsid,
# ip netns exec and setpriv all exec rather than fork.
spawn() {
  local name=$1 marker=$2 log=$3 node=$4 user=$5
  shift 6
  local -a prefix=()
  if [ "$node" != "-" ] && [ "$(net_mode)" = netns ]; then
    prefix=(ip netns exec "$(ns_name "$node")")
  fi
  local -a drop=()
  if [ "$user" != root ]; then
    drop=(setpriv "--reuid=$user" "--regid=$(id -g "$user")" --init-groups --)
  fi
  mkdir -p "$PGHA_STATE_DIR/pids" "$(dirname "$log")"
  (exec setsid "${prefix[@]}" "${drop[@]}" "$@" >>"$log" 2>&1 </dev/null 9>&-) &
  printf '%s\n%s\n' "$!" "$marker" >"$(pid_file "$name")"
  STARTED_NOW+=("$name")
}

# What this invocation started, so a failed `up` undoes its own work and nothing else.
STARTED_NOW=()

# stop_pid NAME SIGNAL TIMEOUT: signal our process and wait for it to go.
stop_pid() {
  local name=$1 sig=$2 timeout=$3 pid i
  pid_alive "$name" || { rm -f "$(pid_file "$name")"; return 0; }
  pid=$(pid_of "$name")
  kill "-$sig" "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 10; i++)); do
    [ -d "/proc/$pid" ] || break
    sleep 0.1
  done
  if [ -d "/proc/$pid" ]; then
    warn "$name (pid $pid) did not stop after SIG$sig within ${timeout}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.2
  fi
  rm -f "$(pid_file "$name")"
}

# Secrets are generated once, kept 0600 in the state directory and never printed unless the
# operator asks with `pgha-local secrets`.
ensure_secrets() {
  local f="$PGHA_STATE_DIR/secrets.env"
  if [ ! -s "$f" ]; then
    umask 077
    {
      printf 'SUPERUSER_PASSWORD=%s\n' "$(gen_secret)"
      printf 'REPLICATION_PASSWORD=%s\n' "$(gen_secret)"
      printf 'REWIND_PASSWORD=%s\n' "$(gen_secret)"
      printf 'HAPROXY_STATS_PASSWORD=%s\n' "$(gen_secret)"
      printf 'PGHA_ADMIN_TOKEN=%s\n' "$(gen_secret)"
    } >"$f"
    umask 022
  fi
  chmod 0600 "$f"
  load_secrets
}

gen_secret() { head -c 24 /dev/urandom | base64 | tr -d '/+=\n'; }

load_secrets() {
  local f="$PGHA_STATE_DIR/secrets.env"
  [ -r "$f" ] || die "no secrets in $f: run 'pgha-local up' first"
  # shellcheck disable=SC1090
  . "$f"
}

# tail_log FILE [N]: the last lines of a log, indented, for failure reports.
tail_log() {
  local f=$1 n=${2:-20}
  [ -f "$f" ] || return 0
  printf -- '--- last %s lines of %s ---\n' "$n" "$f" >&2
  tail -n "$n" "$f" | sed 's/^/    /' >&2
}
