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

# Rendering (PGHA_HOOK_RENDER=on, the default): the hook re-renders HAProxy's server lines from Patroni's members
# and reloads HAProxy after `haproxy -c` passes (pgha.hook.render.*), so a node added or removed is routed without
# editing a file. The template is made from the shipped config, each backend's static server lines replaced by
# one "# pgha:servers" marker; HAProxy runs the rendered file, which for nodes 1-3 is rendered here exactly as the
# hook renders it (the hook then finds it equal and does not reload). off: HAProxy runs the shipped config.
render_on() {
  # Not with TLS: add-node makes no certificates, and TlsClusterIT found 5000 unrouted with a rendered config.
  tls_on && return 1
  case "${PGHA_HOOK_RENDER:-on}" in
    on|true|1) return 0 ;;
    off|false|0) return 1 ;;
    *) die "PGHA_HOOK_RENDER must be on or off, not '$PGHA_HOOK_RENDER'" ;;
  esac
}

haproxy_rendered_cfg() { printf '%s/haproxy.cfg' "$(haproxy_run_dir)"; }
haproxy_template() { printf '%s/haproxy.template.cfg' "$(haproxy_run_dir)"; }

# make_template SHIPPED OUT: the shipped config with every backend's `server patroniN "${NODEN_IP}":5432 OPTS`
# lines replaced by one `# pgha:servers BACKEND OPTS` (OPTS are the same for every server of a backend).
make_template() {
  awk '
    /^listen / { be = $2 }
    $1 == "server" && $2 ~ /^patroni[0-9]+$/ && $3 ~ /^"\$\{NODE[0-9]+_IP\}":5432$/ {
      if (!(be in done)) {
        indent = substr($0, 1, index($0, "server") - 1)
        opts = substr($0, index($0, $3) + length($3))
        sub(/^[ \t]+/, "", opts)
        print indent "# pgha:servers " be " " opts
        done[be] = 1
      }
      next
    }
    { print }
  ' "$1" >"$2.tmp"
  grep -q '# pgha:servers primary ' "$2.tmp" || die "no patroniN server lines found in $1 to make the render template from"
  mv "$2.tmp" "$2"
}

# render_servers TEMPLATE OUT: what ServerLines.render makes of TEMPLATE for the nodes that run (1-3, and 4 when
# added), written only when it differs (an unchanged file keeps its time, so a restart keeps the server states).
render_servers() {
  local members="" n
  for n in $(present_nodes); do members+="$(member_name "$n")=$(node_addr "$n"):5432 "; done
  awk -v members="$members" '
    BEGIN { count = split(members, m, " ") }
    /^[ \t]*#[ \t]*pgha:servers[ \t]+[^ \t]+/ {
      indent = $0; sub(/#.*/, "", indent)
      be = $0; sub(/^[ \t]*#[ \t]*pgha:servers[ \t]+/, "", be); sub(/[ \t].*/, "", be)
      opts = $0; sub(/^[ \t]*#[ \t]*pgha:servers[ \t]+[^ \t]+[ \t]*/, "", opts); sub(/[ \t]+$/, "", opts)
      print indent "# rendered by the pgha hook from Patroni\047s members (backend " be ")"
      for (i = 1; i <= count; i++) {
        split(m[i], kv, "=")
        print indent "server " kv[1] " " kv[2] (opts == "" ? "" : " " opts)
      }
      next
    }
    { print }
  ' "$1" >"$2.tmp"
  if cmp -s "$2.tmp" "$2"; then rm -f "$2.tmp"; else mv "$2.tmp" "$2"; fi
}

# The variables HAProxy's config expands, for the hook's `haproxy -c` of a candidate (0600, root's run dir).
write_haproxy_env() {
  local v
  (
    umask 077
    for v in NODE1_IP NODE2_IP NODE3_IP HAPROXY_BIND_ADDR HAPROXY_STATS_USER HAPROXY_STATS_PASSWORD HAPROXY_RUN_DIR \
      PGHA_AGENT_CHECK_PORT PATRONI_CA_FILE; do
      printf 'export %s=%q\n' "$v" "${!v}"
    done
  ) >"$(haproxy_run_dir)/haproxy.env"
}

start_haproxy() {
  pid_alive haproxy && return 0
  local run shipped="$PGHA_REPO/haproxy/haproxy.cfg" cfg="${PGHA_HAPROXY_CFG:-}"
  run=$(haproxy_run_dir)
  install -d -m 0700 "$run"
  haproxy_env
  if [ -z "$cfg" ]; then
    cfg=$shipped
    if render_on; then
      make_template "$shipped" "$(haproxy_template)"
      render_servers "$(haproxy_template)" "$(haproxy_rendered_cfg)"
      write_haproxy_env
      cfg=$(haproxy_rendered_cfg)
    fi
  fi
  # An empty state file is valid; without one HAProxy warns on every start. A state saved under an
  # older config is dropped: HAProxy restores ports from it too (a stale file kept the agent-check on
  # the Patroni port after the agent-port changed). The rendered file counts by its source, the shipped one.
  if [ ! -f "$run/server-state" ] || [ "$cfg" -nt "$run/server-state" ] || [ "$shipped" -nt "$run/server-state" ]; then
    : >"$run/server-state"
  fi
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
  # Render only when HAProxy runs the rendered file (not with haproxy-restart CFG, which benchmarks use). The
  # reload is HAProxy's master-worker reload (SIGUSR2 to the master, which re-reads the file), sent only to the
  # PID pgha-local recorded while it still runs the rendered file.
  local -a render_env=()
  local run pidf
  run=$(haproxy_run_dir)
  pidf=$(pid_file haproxy)
  if pid_alive haproxy && [ "$(sed -n 2p "$pidf")" = "$(haproxy_rendered_cfg)" ]; then
    render_env=(PGHA_HOOK_RENDER_TEMPLATE="$(haproxy_template)" PGHA_HOOK_RENDER_OUTPUT="$(haproxy_rendered_cfg)"
      PGHA_HOOK_RENDER_CHECK_COMMAND=". '$run/haproxy.env' && haproxy -c -q -f {file}"
      PGHA_HOOK_RENDER_RELOAD_COMMAND="p=\$(head -n1 '$pidf') && grep -qaF -- '$(haproxy_rendered_cfg)' /proc/\$p/cmdline && kill -USR2 \$p"
      PGHA_HOOK_RENDER_SERVER_STATE_FILE="$run/server-state"
      # The faults here take a node away for at most 60 s: long enough a keep for none of them to reload HAProxy,
      # short enough for remove-node to show the drop within a test (the shipped default is 5m).
      PGHA_HOOK_RENDER_KEEP_DEPARTED="${PGHA_HOOK_RENDER_KEEP_DEPARTED:-75s}")
  fi
  spawn hook "pghalocal.hook=$INSTANCE_TAG" "$PGHA_STATE_DIR/log/hook.log" - root -- \
    env MALLOC_ARENA_MAX=2 PGHA_MODE=hook PGHA_NODE_NAME=hook PGHA_SCOPE="$PGHA_SCOPE" \
    PGHA_NAMESPACE="$PGHA_NAMESPACE" "${etcd_env[@]}" "${render_env[@]}" \
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
