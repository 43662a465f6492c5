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

# The WAL volume (PGHA_WAL_SIZE at the first up, e.g. 1G): each node's pg_wal on its own tmpfs of that size, so that
# "pg_wal full" can be caused on one node without filling the machine's disk. Off by default: a heavy load (the backup
# benchmark's 1 GB) needs more WAL than a small volume holds, and a tmpfs does not survive a reboot.
wal_size() { [ -f "$PGHA_STATE_DIR/wal-size" ] && cat "$PGHA_STATE_DIR/wal-size"; return 0; }
wal_dir() { printf '%s/wal' "$(node_dir "$1")"; }

# choose_wal_size: records PGHA_WAL_SIZE at the first up; refuses to change it later (the data already has its WAL).
choose_wal_size() {
  local want=${PGHA_WAL_SIZE:-} have
  have=$(wal_size)
  if [ -d "$(node_dir 1)/data" ] || [ -d "$(node_dir 1)/etcd/member" ]; then
    [ -z "$want" ] || [ "$want" = "$have" ] \
      || die "PGHA_WAL_SIZE=$want, but the cluster in $PGHA_STATE_DIR was made with '${have:-no WAL volume}': 'pgha-local down --wipe' first"
    return 0
  fi
  if [ -n "$want" ]; then
    [[ "$want" =~ ^[0-9]+[MG]$ ]] || die "PGHA_WAL_SIZE must look like 512M or 2G, not '$want'"
    printf '%s\n' "$want" >"$PGHA_STATE_DIR/wal-size"
    say "WAL volume: each node's pg_wal on its own tmpfs of $want (PGHA_WAL_SIZE; pgha-local wal-fill N fills it)"
  else
    rm -f "$PGHA_STATE_DIR/wal-size"
  fi
}

# wal_mount N: node N's WAL tmpfs mounted (before its Patroni starts); a data directory whose WAL volume was lost (a
# reboot) cannot start: say so rather than let PostgreSQL fail on a dangling pg_wal.
wal_mount() {
  local n=$1 size d
  size=$(wal_size)
  [ -n "$size" ] || return 0
  d=$(wal_dir "$n")
  mountpoint -q "$d" && return 0
  [ ! -d "$(node_dir "$n")/data" ] \
    || die "node $n's WAL volume ($d, a tmpfs) is gone, so its data directory cannot start: 'pgha-local down --wipe', then up"
  install -d -m 0700 "$d"
  mount -t tmpfs -o "size=$size,mode=0700,uid=$(id -u postgres),gid=$(id -g postgres)" "pgha-wal$n" "$d" \
    || die "cannot mount a tmpfs on $d"
}

# wal_umount N: node N's WAL tmpfs unmounted, if it has one (before its directory is deleted).
wal_umount() {
  local d
  d=$(wal_dir "$1")
  if mountpoint -q "$d"; then umount "$d" || umount -l "$d"; fi
  return 0
}

# wal_umount_all: before a wipe; node 4's too, when it was added and not removed.
wal_umount_all() {
  local n
  for n in "${NODES[@]}" 4; do wal_umount "$n"; done
  return 0
}

# wal_fill N / wal_free N: take every free byte of node N's WAL volume with one file (root-owned, so PostgreSQL
# cannot remove it), as a full disk would; and give it back.
wal_fill() {
  local n=$1 d avail
  d=$(wal_dir "$n")
  mountpoint -q "$d" || die "wal-fill needs the WAL volume: 'pgha-local down --wipe', then PGHA_WAL_SIZE=1G pgha-local up"
  avail=$(df --output=avail -B1 "$d" | tail -n1 | tr -d ' ')
  fallocate -l "$avail" "$d/pgha-filler" || die "cannot fill $d"
}

wal_free() {
  rm -f "$(wal_dir "$1")/pgha-filler"
}
