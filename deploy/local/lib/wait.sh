# shellcheck shell=bash
# "Usable" means what a client needs, not that processes exist: a leader that takes writes
# through HAProxy 5000 with two streaming replicas, a replica behind 5001, and live agents.

psql_at() {
  local host=$1 port=$2
  shift 2
  PGPASSWORD="$SUPERUSER_PASSWORD" PGCONNECT_TIMEOUT=2 psql -X -q -v ON_ERROR_STOP=1 \
    "host=$host port=$port user=postgres dbname=postgres" "$@"
}

etcd_healthy() {
  local -a tls=()
  mapfile -t tls < <(etcdctl_tls)
  ETCDCTL_API=3 etcdctl --endpoints="$(etcd_endpoints)" "${tls[@]}" --command-timeout=2s endpoint health >/dev/null 2>&1
}

# usable_state: prints what is still missing, or nothing when the cluster is usable.
usable_state() {
  if ! etcd_healthy; then printf 'etcd quorum'; return; fi
  local rw
  rw=$(psql_at "$HAPROXY_ADDR" 5000 -tA -c "select pg_is_in_recovery(), (select count(*) from pg_stat_replication where state = 'streaming')" 2>/dev/null)
  case "$rw" in
    "f|2") ;;
    "f|"*) printf 'two streaming replicas (leader sees %s)' "${rw#f|}"; return ;;
    *) printf 'a leader behind HAProxy 5000'; return ;;
  esac
  [ "$(psql_at "$HAPROXY_ADDR" 5001 -tA -c 'select pg_is_in_recovery()' 2>/dev/null)" = t ] || { printf 'a replica behind HAProxy 5001'; return; }
  if [ -f "$(agent_app_dir)/quarkus-run.jar" ]; then
    local n
    for n in "${NODES[@]}"; do
      curl -fsS -m 2 -o /dev/null "http://$(node_addr "$n"):$PGHA_AGENT_HTTP_PORT/q/health/live" 2>/dev/null || { printf 'agent %s' "$n"; return; }
    done
  fi
}

wait_usable() {
  local timeout=$1 start missing="" now
  start=$(date +%s.%N)
  while :; do
    missing=$(usable_state)
    [ -z "$missing" ] && break
    now=$(date +%s)
    if [ $((now - ${start%.*})) -ge "$timeout" ]; then
      warn "cluster not usable after ${timeout}s: still waiting for $missing"
      local n
      for n in "${NODES[@]}"; do
        tail_log "$(node_dir "$n")/log/etcd.log" 5
        tail_log "$(node_dir "$n")/log/patroni.log" 15
        tail_log "$(node_dir "$n")/log/agent.log" 5
      done
      tail_log "$PGHA_STATE_DIR/log/haproxy.log" 10
      return 1
    fi
    sleep 0.5
  done
  LC_ALL=C awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'
}

print_status() {
  printf 'mode: %s   state: %s   patroni: %s\n' "$(net_mode)" "$PGHA_STATE_DIR" "$(patroni_version)"
  local cluster="" n ct=()
  mapfile -t ct < <(curl_tls)
  for n in "${NODES[@]}"; do
    cluster=$(curl -fsS -m 2 "${ct[@]}" "$(scheme)://$(node_addr "$n"):8008/cluster" 2>/dev/null) && break
  done
  printf '%-5s %-9s %-12s %-6s %-8s %-8s %-12s %-3s %-8s %s\n' node member address etcd patroni role state TL "lag(MB)" agent
  for n in $(present_nodes); do
    local e=down p=down a=down role="" state="" tl="" lag=""
    pid_alive "etcd$n" && e=up
    pid_alive "patroni$n" && p=up
    if pid_alive "agent$n"; then
      a=started
      curl -fsS -m 2 -o /dev/null "http://$(node_addr "$n"):$PGHA_AGENT_HTTP_PORT/q/health/live" 2>/dev/null && a=up
    fi
    if [ -n "$cluster" ]; then
      read -r role state tl lag < <(printf '%s' "$cluster" | python3 -c '
import json, sys
name = sys.argv[1]
for m in json.load(sys.stdin).get("members", []):
    if m.get("name") == name:
        lag = m.get("lag", "")
        if isinstance(lag, int): lag = round(lag / 1048576, 1)
        print(m.get("role", "-"), m.get("state", "-"), m.get("timeline", "-"), lag if lag != "" else "-")
        break
else:
    print("- - - -")' "$(member_name "$n")")
    fi
    printf '%-5s %-9s %-12s %-6s %-8s %-8s %-12s %-3s %-8s %s\n' "$n" "$(member_name "$n")" "$(node_addr "$n")" \
      "$e" "$p" "${role:--}" "${state:--}" "${tl:--}" "${lag:--}" "$a"
  done
  if pid_alive haproxy; then
    printf 'haproxy: up (pid %s) on %s: 5000 rw, 5001 ro, 5002 any, 7000 stats\n' "$(pid_of haproxy)" "$HAPROXY_ADDR"
    haproxy_servers | sed 's/^/  /'
    if pid_alive hook; then printf 'hook: up (pid %s), GET http://%s:%s/cluster\n' "$(pid_of hook)" "$HAPROXY_ADDR" "$PGHA_AGENT_HTTP_PORT"; else printf 'hook: down\n'; fi
  else
    printf 'haproxy: down\n'
  fi
}
