# shellcheck shell=bash
# HAProxy in the host namespace on 127.0.K.1 (127.0.0.1 for the default instance), running the project's own haproxy/haproxy.cfg: the
# local cluster proves the shipped config rather than a copy of it.

haproxy_run_dir() { printf '%s/haproxy' "$PGHA_STATE_DIR"; }

haproxy_env() {
  load_secrets
  export NODE1_IP NODE2_IP NODE3_IP HAPROXY_BIND_ADDR="$HAPROXY_ADDR" HAPROXY_STATS_USER=pgha \
    HAPROXY_STATS_PASSWORD HAPROXY_RUN_DIR PGHA_AGENT_CHECK_PORT PATRONI_CA_FILE
  NODE1_IP=$(node_addr 1)
  NODE2_IP=$(node_addr 2)
  NODE3_IP=$(node_addr 3)
  HAPROXY_RUN_DIR=$(haproxy_run_dir)
  # TLS mode: HAProxy's checks of Patroni's REST API go over TLS, verified against the cluster's CA.
  PATRONI_CA_FILE=""
  if tls_on; then PATRONI_CA_FILE="$(tls_dir)/ca.crt"; fi
}

start_haproxy() {
  pid_alive haproxy && return 0
  local run cfg="${PGHA_HAPROXY_CFG:-$PGHA_REPO/haproxy/haproxy.cfg}"
  run=$(haproxy_run_dir)
  install -d -m 0700 "$run"
  haproxy_env
  # An empty state file is valid; without one HAProxy warns on every start. A state saved under an
  # older config is dropped: HAProxy restores ports from it too (a stale file kept the agent-check on
  # the Patroni port after the agent-port changed).
  if [ ! -f "$run/server-state" ] || [ "$cfg" -nt "$run/server-state" ]; then : >"$run/server-state"; fi
  local out
  out=$(haproxy -c -q -f "$cfg" 2>&1) || die "haproxy -c rejects $cfg: $out"
  spawn haproxy "$cfg" "$PGHA_STATE_DIR/log/haproxy.log" - root -- haproxy -W -db -f "$cfg"
}

stop_haproxy() {
  local run
  run=$(haproxy_run_dir)
  # Keep the routing state across a restart so HAProxy does not mark every server up at once.
  if pid_alive haproxy && [ -S "$run/admin.sock" ]; then
    haproxy_cmd "show servers state" >"$run/server-state" 2>/dev/null || true
  fi
  stop_pid haproxy TERM 10
}

# haproxy_cmd CMD: one command on the admin socket (the runtime API).
haproxy_cmd() {
  local sock
  sock="$(haproxy_run_dir)/admin.sock"
  [ -S "$sock" ] || return 1
  python3 - "$sock" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(2)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
buf = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    buf += chunk
sys.stdout.write(buf.decode(errors="replace"))
PY
}

# One line per server: backend/server operational state (from `show stat`).
haproxy_servers() {
  haproxy_cmd "show stat" | awk -F, '$2 ~ /^patroni/ {printf "%-9s %-9s %s\n", $1, $2, $18}'
}

# The pgha hook (the agent build in PGHA_MODE=hook) beside HAProxy, in the host namespace as root (the
# admin socket is 0660 root): it watches etcd and pushes the leader into HAProxy over the admin socket.
# Its HTTP port (GET /cluster) is on HAProxy's address, where no agent listens.
start_hook() {
  pid_alive hook && return 0
  [ -f "$(agent_app_dir)/quarkus-run.jar" ] || return 0
  local -a etcd_env=()
  mapfile -t etcd_env < <(etcd_client_env "$(tls_dir)")
  spawn hook "pghalocal.hook=$INSTANCE_TAG" "$PGHA_STATE_DIR/log/hook.log" - root -- \
    env MALLOC_ARENA_MAX=2 PGHA_MODE=hook PGHA_NODE_NAME=hook PGHA_SCOPE="$PGHA_SCOPE" \
    PGHA_NAMESPACE="$PGHA_NAMESPACE" "${etcd_env[@]}" \
    PGHA_HOOK_ADMIN_SOCKET="$(haproxy_run_dir)/admin.sock" \
    QUARKUS_HTTP_HOST="$HAPROXY_ADDR" QUARKUS_HTTP_PORT="$PGHA_AGENT_HTTP_PORT" \
    "$(agent_java)" -XX:+UseSerialGC -Xmx64m -Xms8m -Xmn3m -Xss512k -XX:ReservedCodeCacheSize=32m \
    -XX:MaxMetaspaceSize=96m -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:CompileThresholdScaling=10 \
    "-Dpghalocal.hook=$INSTANCE_TAG" -jar "$(agent_app_dir)/quarkus-run.jar"
}

stop_hook() { stop_pid hook TERM 10; }

# restart_haproxy [CFG]: HAProxy again, with CFG instead of the shipped config (benchmarks compare configs).
restart_haproxy() {
  stop_haproxy
  PGHA_HAPROXY_CFG=${1:-} start_haproxy
}
