# shellcheck shell=bash
# Faults for drills and the fault harness, each undone by its counterpart: the network ones only inside the
# cluster's own namespaces and bridge, the process ones only on processes pgha-local started (by PID file or by
# their data directory).

need_netns() {
  [ "$(net_mode)" = netns ] || die "$1 needs the network namespaces (this cluster runs on loopback addresses)"
}

# net_cut N: the node's host-side link down: it reaches nothing and nothing reaches it.
net_cut() {
  need_netns net-cut
  ip link set "$INSTANCE_TAG-v$1" down || die "cannot take $INSTANCE_TAG-v$1 down"
}

# net_isolate N: the node keeps its link to the host (HAProxy, the tests) but loses the other nodes: a blackhole
# route to each of them in its namespace drops what it sends them, so no TCP connection either way completes (this
# VM's kernel has no netem, tc classifiers or actions, and no firewall package is needed).
net_isolate() {
  need_netns net-isolate
  local n=$1 m ns
  ns=$(ns_name "$n")
  for m in "${NODES[@]}"; do
    [ "$m" = "$n" ] && continue
    ip netns exec "$ns" ip route replace blackhole "$(node_addr "$m")/32"
  done
}

# net_slow N RATE: the node's outgoing link shaped to RATE (tbf, e.g. 256kbit): a slow, congested link whose queue
# adds delay and drops what waits longer than 400 ms. netem (fixed delay, random loss) is not in every kernel
# (not in this VM's), tbf is.
net_slow() {
  need_netns net-slow
  local n=$1 rate=${2:-}
  [ -n "$rate" ] || die "net-slow takes a node and a rate, e.g. net-slow 1 256kbit"
  ip netns exec "$(ns_name "$n")" tc qdisc replace dev eth0 root tbf rate "$rate" burst 32kbit latency 400ms \
    || die "tc refused tbf rate $rate"
}

# net_heal N: undoes every network fault on the node (link up, no shaping, no blackhole route).
net_heal() {
  need_netns net-heal
  local n=$1 m ns
  ns=$(ns_name "$n")
  ip link set "$INSTANCE_TAG-v$n" up
  ip netns exec "$ns" tc qdisc del dev eth0 root 2>/dev/null || true
  for m in "${NODES[@]}"; do
    ip netns exec "$ns" ip route del blackhole "$(node_addr "$m")/32" 2>/dev/null || true
  done
}

# component_pids N WHAT: the PIDs of node N's patroni, etcd or agent (its PID file), or of every PostgreSQL process
# on its data directory (postgres: the postmaster and all its children, which have the data directory as cwd).
component_pids() {
  local n=$1 what=$2 p dir
  case "$what" in
    patroni|etcd|agent) pid_alive "$what$n" && pid_of "$what$n" ;;
    postgres)
      dir=$(node_dir "$n")/data
      for p in /proc/[0-9]*; do
        [ "$(readlink "$p/cwd" 2>/dev/null)" = "$dir" ] && printf '%s\n' "${p#/proc/}"
      done
      ;;
    *) die "freeze and thaw take patroni, postgres, etcd or agent, not '$what'" ;;
  esac
  return 0
}

# freeze N WHAT / thaw N WHAT: SIGSTOP / SIGCONT, as a hung process or a stalled disk would look.
signal_component() {
  local sig=$1 n=$2 what=$3 pids
  mapfile -t pids < <(component_pids "$n" "$what")
  [ "${#pids[@]}" -gt 0 ] && [ -n "${pids[0]}" ] || die "node $n has no running $what"
  kill "-$sig" "${pids[@]}"
  printf '%s\n' "${#pids[@]}"
}

# clock N OFFSET: step the wall clock of node N's agent to real time OFFSET (+5m, -5m, +0); the agent must have been
# started with PGHA_AGENT_FAKETIME=1.
clock_step() {
  local n=$1 offset=$2 f
  f="$(node_dir "$n")/agent/faketime"
  case "$offset" in [+-][0-9]*) ;; *) die "clock takes an offset like +5m, -5m or +0, not '$offset'" ;; esac
  [ -f "$f" ] && pid_alive "agent$n" || die "node $n's agent does not run under libfaketime: start it with PGHA_AGENT_FAKETIME=1 pgha-local start-node $n agent"
  printf '%s\n' "$offset" >"$f"
}
