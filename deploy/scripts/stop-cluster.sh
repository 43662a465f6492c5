#!/usr/bin/env bash
# Stops and removes the pgha containers of one VM (or HAProxy, or the dev cluster), or of every host
# in a hosts file over ssh. Volumes, and so the data, are kept.
set -euo pipefail

PGHA_PROG=stop-cluster.sh

usage() {
  target_usage
  cat <<'USAGE'
  --vm TARGET      stop this host's part: 1, 2 or 3 (etcdN + patroniN, and the pgha agent if it
                   runs), haproxy (and the pgha hook), or dev
  --env-file FILE  env file to use (default: deploy/.env.vmN, .env.haproxy or .env.dev)
  --hosts FILE     run this script on every host listed in FILE over ssh, in reverse file order;
                   lines: TARGET SSH_DESTINATION KIT_DIRECTORY

Data volumes are never removed here. Stopping the primary's node makes Patroni fail over to a
replica first; to move the primary deliberately use patronictl switchover (docs/operations.md).
USAGE
}

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

target_args "$@"

# With --hosts in reverse order: HAProxy (listed last) stops taking clients before the database nodes go.
on_hosts_or_target reverse stop-cluster.sh
[[ $target =~ ^(1|2|3|haproxy|dev)$ ]] || usage_error "unknown --vm '$target' (expected 1, 2, 3, haproxy or dev)"

need_cmd docker "docker.io (Docker engine)"
need_cmd docker-compose "docker-compose (or a compose wrapper named docker-compose)"
# Include the overlay when its container exists, so that "down" removes the agent/hook too;
# --remove-orphans is not used because it cannot tell them from containers of unrelated files.
with_agent=0
case $target in
  1 | 2 | 3) overlay_container=pgha-agent ;;
  haproxy) overlay_container=pgha-hook ;;
  *) overlay_container='' ;;
esac
if [[ -n $overlay_container ]]; then
  # Listed first, not piped into grep -q: with pipefail an early grep exit could fail the pipeline.
  names=$(docker ps -a --format '{{.Names}}') || die "cannot list containers (is the Docker engine running?)"
  grep -qx -- "$overlay_container" <<<"$names" && with_agent=1
fi
pgha_target "$target" "$with_agent" "$env_file"
"${PGHA_COMPOSE[@]}" down
printf '%s: %s stopped (volumes kept)\n' "$PGHA_PROG" "$target"
