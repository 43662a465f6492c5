# shellcheck shell=bash
# The three "VMs": network namespaces on a private bridge with no route out, or, where namespaces
# are not permitted (an unprivileged container), loopback addresses 127.0.0.11-13.

BRIDGE=${PGHA_BRIDGE:-$INSTANCE_TAG-br0}

# choose_mode: decided at the first `up`; PGHA_NET_MODE=netns|loopback forces one.
choose_mode() {
  local current
  current=$(net_mode)
  if [ "$current" != none ]; then
    printf '%s' "$current"
    return
  fi
  case "${PGHA_NET_MODE:-auto}" in
    netns|loopback) printf '%s' "$PGHA_NET_MODE" ;;
    auto)
      local probe="pgha-probe-$$"
      if ip netns add "$probe" 2>/dev/null; then
        if ip netns exec "$probe" ip link set lo up 2>/dev/null; then
          ip netns del "$probe" 2>/dev/null
          printf 'netns'
          return
        fi
        ip netns del "$probe" 2>/dev/null
      fi
      printf 'loopback'
      ;;
    *) die "PGHA_NET_MODE must be netns, loopback or auto, not '$PGHA_NET_MODE'" ;;
  esac
}

net_up() {
  [ "$(net_mode)" = netns ] || return 0
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge || die "cannot create bridge $BRIDGE"
    ip addr add "$PGHA_SUBNET.1/24" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
  local n
  for n in "${NODES[@]}"; do net_up_node "$n"; done
}

# net_up_node N: node N's namespace with its veth on the bridge (the bridge must exist).
net_up_node() {
  local n=$1 ns
  [ "$(net_mode)" = netns ] || return 0
  ns=$(ns_name "$n")
  if ! ip netns list | grep -qw "$ns"; then
    ip netns add "$ns" || die "cannot create namespace $ns"
  fi
  ip netns exec "$ns" ip link set lo up
  if ! ip link show "$INSTANCE_TAG-v$n" >/dev/null 2>&1; then
    ip link add "$INSTANCE_TAG-v$n" type veth peer name eth0 netns "$ns" || die "cannot create veth for $ns"
    ip link set "$INSTANCE_TAG-v$n" master "$BRIDGE"
    ip netns exec "$ns" ip addr add "$(node_addr "$n")/24" dev eth0
  fi
  ip link set "$INSTANCE_TAG-v$n" up
  ip netns exec "$ns" ip link set eth0 up
  # Deliberately no default route: nothing inside a node can reach past the bridge.
}

net_down() {
  local n
  for n in "${NODES[@]}" "$EXTRA_NODE"; do net_down_node "$n"; done
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link del "$BRIDGE" || warn "could not remove bridge $BRIDGE"
  fi
}

net_down_node() {
  local n=$1 ns
  ns=$(ns_name "$n")
  if ip netns list 2>/dev/null | grep -qw "$ns"; then
    ip netns del "$ns" || warn "could not remove namespace $ns"
  fi
  ip link del "$INSTANCE_TAG-v$n" 2>/dev/null || true
}

# run_in NODE CMD...: run a short command where the node's services are reachable by address.
run_in() {
  local n=$1
  shift
  if [ "$(net_mode)" = netns ]; then
    ip netns exec "$(ns_name "$n")" "$@"
  else
    "$@"
  fi
}

# exec_in NODE CMD...: replace this shell with CMD inside the node's namespace (its PID is then CMD's), with
# the environment passed on.
exec_in() {
  local n=$1
  shift
  if [ "$(net_mode)" = netns ]; then
    exec ip netns exec "$(ns_name "$n")" "$@"
  fi
  exec "$@"
}

# port_taken ADDR PORT [NODE]: whether something listens there already (in the node's namespace).
port_taken() {
  local addr=$1 port=$2 node=${3:-}
  local out
  if [ -n "$node" ] && [ "$(net_mode)" = netns ]; then
    out=$(ip netns exec "$(ns_name "$node")" ss -Hltn "sport = :$port" 2>/dev/null)
  else
    out=$(ss -Hltn "sport = :$port" 2>/dev/null)
  fi
  [ -n "$out" ] || return 1
  # A wildcard listener blocks every address; a specific one blocks only its own.
  printf '%s\n' "$out" | awk '{print $4}' | grep -qE "^(\*|0\.0\.0\.0|\[::\]|$addr):$port$"
}
