# shellcheck shell=bash
# add-node 4 / remove-node 4: a fourth node joining the running cluster and leaving it again, the way an operator
# would grow and shrink it: etcd member add before its etcd starts (initial-cluster-state existing), Patroni
# cloning from the leader as a replica, its agent; then the reverse, with etcd member remove. The hook sees the
# Patroni member key come and go and re-renders HAProxy's server lines (haproxy.sh, render_on).

etcdctl_cluster() {
  local -a tls=()
  mapfile -t tls < <(etcdctl_tls)
  ETCDCTL_API=3 timeout 20 etcdctl --endpoints="$(etcd_endpoints)" "${tls[@]}" --command-timeout=5s "$@"
}

# etcd's member ID of etcd4 (hex), or nothing.
etcd4_member_id() {
  etcdctl_cluster member list 2>/dev/null | awk -F', ' -v name="etcd$EXTRA_NODE" '$3 == name { print $1 }'
}

# patroni_member_state N: node N's state in Patroni's /cluster (streaming, running, ...), or nothing.
patroni_member_state() {
  local want n ct=() out
  want=$(member_name "$1")
  mapfile -t ct < <(curl_tls)
  for n in "${NODES[@]}"; do
    out=$(curl -fsS -m 2 "${ct[@]}" "$(scheme)://$(node_addr "$n"):8008/cluster" 2>/dev/null) || continue
    printf '%s' "$out" | python3 -c '
import json, sys
for m in json.load(sys.stdin).get("members", []):
    if m.get("name") == sys.argv[1]:
        print(m.get("state", ""))' "$want"
    return 0
  done
}

add_node() {
  local n=$EXTRA_NODE dir addr id i
  [ "$(net_mode)" != none ] || die "no local cluster here: run 'pgha-local up' first"
  tls_on && die "add-node does not support a TLS cluster (no certificate was made for node $n)"
  node4_present && die "node $n is already added ('pgha-local remove-node $n' first)"
  load_secrets
  ensure_patroni
  etcd_healthy || die "etcd has no quorum: node $n cannot join"
  [ -z "$(etcd4_member_id)" ] || die "etcd already has a member etcd$n (an interrupted add?): 'pgha-local remove-node $n' first"
  dir=$(node_dir "$n")
  addr=$(node_addr "$n")
  if [ "$(net_mode)" = loopback ]; then
    local p
    for p in 2379 2380 5432 8008 "$PGHA_AGENT_HTTP_PORT" "$PGHA_AGENT_CHECK_PORT"; do
      port_taken "$addr" "$p" && die "port $addr:$p is already taken (node $n needs it)"
    done
  fi
  wal_umount "$n" # an add interrupted after Patroni started left node 4's WAL tmpfs (PGHA_WAL_SIZE) mounted
  rm -rf "$dir"
  install -d -m 0755 "$dir"
  chown postgres:postgres "$dir"
  install -d -o postgres -g postgres -m 0755 "$dir/log"
  # Marked first: from here on down and remove-node undo whatever part of the add happened.
  : >"$dir/added"
  net_up_node "$n"
  say "node $n: etcd member add etcd$n ($(scheme)://$addr:2380)"
  etcdctl_cluster member add "etcd$n" --peer-urls="$(scheme)://$addr:2380" >/dev/null \
    || die "etcdctl member add etcd$n failed ('pgha-local remove-node $n' cleans up)"
  start_etcd "$n"
  for ((i = 0; i < 300; i++)); do
    ETCDCTL_API=3 etcdctl --endpoints="$(scheme)://$addr:2379" --command-timeout=2s endpoint health >/dev/null 2>&1 && break
    sleep 0.2
  done
  [ "$i" -lt 300 ] || { tail_log "$dir/log/etcd.log" 20; die "etcd$n did not become healthy within 60 s"; }
  start_patroni "$n"
  start_agent "$n"
  # Patroni clones from the leader (pg_basebackup) and starts streaming.
  for ((i = 0; i < 360; i++)); do
    [ "$(patroni_member_state "$n")" = streaming ] && break
    sleep 0.5
  done
  [ "$i" -lt 360 ] || { tail_log "$dir/log/patroni.log" 20; die "patroni$n did not stream within 180 s"; }
  say "node $n: added ($addr): etcd member, Patroni streaming from the leader, agent started"
}

remove_node() {
  local n=$EXTRA_NODE dir id
  dir=$(node_dir "$n")
  [ -d "$dir" ] || [ -n "$(etcd4_member_id)" ] || die "node $n is not added"
  stop_pid "agent$n" TERM 10
  stop_patroni "$n"
  # Patroni's member key lives on its lease for up to the TTL after it stopped; deleted now, the hook drops
  # the server at once and the leader drops patroni4's replication slot on its next loop.
  etcdctl_cluster del "$PGHA_NAMESPACE/$PGHA_SCOPE/members/$(member_name "$n")" >/dev/null \
    || warn "could not delete Patroni's member key for $(member_name "$n") (it expires with its lease)"
  id=$(etcd4_member_id)
  if [ -n "$id" ]; then
    etcdctl_cluster member remove "$id" >/dev/null || warn "etcdctl member remove $id (etcd$n) failed"
  fi
  stop_pid "etcd$n" TERM 10
  # With PGHA_WAL_SIZE node 4's pg_wal is a tmpfs of its own (mounted when its Patroni started): rm -rf stopped at
  # the busy mount point and left the node half removed (FaultBench's node4 rounds on such a cluster).
  wal_umount "$n"
  rm -rf "$dir"
  [ "$(net_mode)" != netns ] || net_down_node "$n"
  say "node $n: removed (agent and Patroni stopped, member key deleted, etcd member removed, data deleted)"
}
