#!/usr/bin/env bash
# Starts the pgha containers of one VM (or HAProxy, or the dev cluster), or of every host in a hosts
# file over ssh. Refuses to start while a secret is empty, a placeholder or a well-known default.
set -euo pipefail

PGHA_PROG=start-cluster.sh

usage() {
  cat <<'USAGE'
Usage: start-cluster.sh --vm 1|2|3|haproxy|dev [--env-file FILE] [--with-agent] [--check]
       start-cluster.sh --hosts FILE [--with-agent] [--check]

  --vm TARGET      start this host's part: 1, 2 or 3 (etcdN + patroniN), haproxy, or dev
                   (the whole cluster on this host, deploy/docker-compose.dev.yml)
  --env-file FILE  env file to use (default: deploy/.env.vmN, .env.haproxy or .env.dev)
  --with-agent     also start the pgha agent (VMs) or the pgha hook (haproxy), see README
  --check          only validate the env file and the compose configuration; start nothing
  --hosts FILE     run this script on every host listed in FILE over ssh, in file order;
                   lines: TARGET SSH_DESTINATION KIT_DIRECTORY (e.g. "1 admin@10.0.0.11 /opt/pgha")

Start the three VMs within a minute of each other: etcd forms its cluster only once a quorum of
members is up.
USAGE
}

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

target='' env_file='' hosts='' with_agent=0 check_only=0
while (($# > 0)); do
  case $1 in
    --vm) (($# >= 2)) || usage_error "--vm needs a value"; target=$2; shift 2 ;;
    --env-file) (($# >= 2)) || usage_error "--env-file needs a value"; env_file=$2; shift 2 ;;
    --hosts) (($# >= 2)) || usage_error "--hosts needs a value"; hosts=$2; shift 2 ;;
    --with-agent) with_agent=1; shift ;;
    --check) check_only=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done

if [[ -n $hosts ]]; then
  [[ -z $target && -z $env_file ]] || usage_error "--hosts cannot be combined with --vm or --env-file"
  args=()
  ((with_agent)) && args+=(--with-agent)
  ((check_only)) && args+=(--check)
  run_on_hosts "$hosts" forward start-cluster.sh "${args[@]}"
  exit $?
fi
[[ -n $target ]] || usage_error "either --vm or --hosts is required"

pgha_target "$target" "$with_agent" "$env_file"
preflight "$target" "$with_agent"
need_cmd docker-compose "docker-compose (or a compose wrapper named docker-compose)"
# Also catches a missing variable, with the compose file's message naming it.
"${PGHA_COMPOSE[@]}" config -q || die "the compose configuration for '$target' is invalid (see above)"
if ((check_only)); then
  printf '%s: %s: env file and compose configuration are valid\n' "$PGHA_PROG" "$target"
  exit 0
fi

if [[ $target == haproxy || $target == dev ]]; then
  # Test haproxy.cfg with the image's HAProxy and this env before replacing a running proxy.
  "${PGHA_COMPOSE[@]}" run --rm --no-deps --entrypoint haproxy haproxy \
    -c -f /usr/local/etc/haproxy/haproxy.cfg >/dev/null ||
    die "haproxy.cfg does not pass 'haproxy -c' with $PGHA_ENV_FILE (run it without >/dev/null to see why)"
fi

"${PGHA_COMPOSE[@]}" up -d
printf '%s: %s started; check with: deploy/scripts/cluster-status.sh --vm %s\n' "$PGHA_PROG" "$target" "$target"
