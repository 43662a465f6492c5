# shellcheck shell=bash
# Shared by start-cluster.sh, stop-cluster.sh and cluster-status.sh; sourced, never run.
# The caller sets PGHA_PROG and defines usage() before sourcing.

PGHA_SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PGHA_DEPLOY_DIR=$(dirname "$PGHA_SCRIPT_DIR")
PGHA_ROOT=$(dirname "$PGHA_DEPLOY_DIR")

# Values that must never guard a production cluster: the seed's, Spilo's built-in defaults
# (zalando, standby, cola) and the usual first guesses.
PGHA_KNOWN_DEFAULTS=(admin admin123 postgres password passw0rd changeme change_me secret zalando
  standby cola replicator haproxy root test 123456 12345678 123456789 qwerty letmein)

is_known_default() { # is_known_default VALUE (case-insensitive)
  local known
  for known in "${PGHA_KNOWN_DEFAULTS[@]}"; do
    [[ ${1,,} == "$known" ]] && return 0
  done
  return 1
}

die() {
  printf '%s: error: %s\n' "$PGHA_PROG" "$*" >&2
  exit 1
}

usage_error() {
  printf '%s: %s\n' "$PGHA_PROG" "$*" >&2
  usage >&2
  exit 2
}

need_cmd() { # need_cmd CMD PACKAGE
  command -v "$1" >/dev/null 2>&1 || die "$1 not found (install: $2)"
}

# pgha_target TARGET WITH_AGENT [ENV_FILE]: sets PGHA_ENV_FILE and the PGHA_COMPOSE command array.
pgha_target() {
  local target=$1 with_agent=$2 env_file=${3:-}
  local -a files
  case $target in
    1 | 2 | 3)
      files=(-f "$PGHA_DEPLOY_DIR/docker-compose.vm$target.yml")
      [[ $with_agent == 1 ]] && files+=(-f "$PGHA_ROOT/compose-overlays/agent.vm$target.yml")
      env_file=${env_file:-$PGHA_DEPLOY_DIR/.env.vm$target}
      ;;
    haproxy)
      files=(-f "$PGHA_DEPLOY_DIR/docker-compose.haproxy.yml")
      [[ $with_agent == 1 ]] && files+=(-f "$PGHA_ROOT/compose-overlays/hook.haproxy.yml")
      env_file=${env_file:-$PGHA_DEPLOY_DIR/.env.haproxy}
      ;;
    dev)
      [[ $with_agent == 1 ]] && usage_error "--with-agent is not available for the dev cluster"
      files=(-f "$PGHA_DEPLOY_DIR/docker-compose.dev.yml")
      env_file=${env_file:-$PGHA_DEPLOY_DIR/.env.dev}
      ;;
    *) usage_error "unknown --vm '$target' (expected 1, 2, 3, haproxy or dev)" ;;
  esac
  [[ -f $env_file ]] || die "env file $env_file not found (copy the matching .env.*.example in $PGHA_DEPLOY_DIR and edit it)"
  PGHA_ENV_FILE=$env_file
  # shellcheck disable=SC2034 # used by the scripts that source this file
  PGHA_COMPOSE=(docker-compose --env-file "$env_file" "${files[@]}")
}

# pgha_env KEY: the value docker-compose will use. Like docker-compose, an exported shell variable
# wins over the env file; in the file the last assignment wins and surrounding quotes are dropped.
pgha_env() {
  local key=$1 line value=''
  if [[ -n ${!key+set} ]]; then
    printf '%s' "${!key}"
    return
  fi
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%$'\r'}
    if [[ $line =~ ^[[:space:]]*(export[[:space:]]+)?${key}=(.*)$ ]]; then
      value=${BASH_REMATCH[2]}
      if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then
        value=${BASH_REMATCH[1]}
      fi
    fi
  done <"$PGHA_ENV_FILE"
  printf '%s' "$value"
}

# check_secret KEY: one-line error naming KEY when its value must not be used.
check_secret() {
  local key=$1 value lower
  value=$(pgha_env "$key")
  lower=${value,,}
  [[ -n $value ]] || die "$key is empty in $PGHA_ENV_FILE; set a generated secret (e.g. openssl rand -hex 24)"
  [[ $lower != change_me* && $lower != changeme* ]] ||
    die "$key in $PGHA_ENV_FILE is still the placeholder '$value'; set a generated secret"
  ! is_known_default "$value" ||
    die "$key in $PGHA_ENV_FILE is the well-known default '$value'; set a generated secret"
  [[ $value =~ ^[A-Za-z0-9._~-]+$ ]] ||
    die "$key in $PGHA_ENV_FILE may only contain letters, digits and ._~- (it is used in YAML, URLs and user:password strings)"
  ((${#value} >= 12)) || die "$key in $PGHA_ENV_FILE is shorter than 12 characters"
}

check_not_empty() { # check_not_empty KEY
  [[ -n $(pgha_env "$1") ]] || die "$1 is empty or missing in $PGHA_ENV_FILE"
}

check_integer() { # check_integer KEY
  local value
  value=$(pgha_env "$1")
  [[ $value =~ ^[0-9]+$ ]] || die "$1 in $PGHA_ENV_FILE must be a whole number, not '$value'"
}

check_one_of() { # check_one_of KEY VALUE...
  local key=$1 value allowed
  value=$(pgha_env "$key")
  shift
  for allowed in "$@"; do
    [[ $value == "$allowed" ]] && return 0
  done
  die "$key in $PGHA_ENV_FILE must be one of: $*; it is '$value'"
}

# preflight TARGET WITH_AGENT: everything start-cluster.sh checks before touching anything.
preflight() {
  local target=$1 with_agent=$2 ttl loop_wait retry_timeout
  case $target in
    1 | 2 | 3)
      check_secret POSTGRES_PASSWORD
      check_secret REPLICATION_PASSWORD
      [[ $with_agent == 1 ]] && check_secret PGHA_POSTGRES_PASSWORD
      local key
      for key in NODE1_IP NODE2_IP NODE3_IP CLUSTER_SUBNET PATRONI_SCOPE REPLICATION_USER ETCD_CLUSTER_TOKEN; do
        check_not_empty "$key"
      done
      check_one_of ETCD_INITIAL_CLUSTER_STATE new existing
      check_one_of PATRONI_SYNCHRONOUS_MODE true false
      check_one_of PATRONI_FAILSAFE_MODE true false
      check_one_of PG_SSL on off
      check_one_of PG_HBA_CONNECTION_TYPE host hostssl
      [[ $(pgha_env PG_SSL) == on || $(pgha_env PG_HBA_CONNECTION_TYPE) == host ]] ||
        die "PG_HBA_CONNECTION_TYPE=hostssl needs PG_SSL=on in $PGHA_ENV_FILE (nobody could connect)"
      for key in PATRONI_TTL PATRONI_LOOP_WAIT PATRONI_RETRY_TIMEOUT PATRONI_MAXIMUM_LAG_ON_FAILOVER; do
        check_integer "$key"
      done
      ttl=$(pgha_env PATRONI_TTL)
      loop_wait=$(pgha_env PATRONI_LOOP_WAIT)
      retry_timeout=$(pgha_env PATRONI_RETRY_TIMEOUT)
      ((ttl >= 20)) || die "PATRONI_TTL in $PGHA_ENV_FILE must be at least 20 (Patroni's minimum)"
      ((loop_wait + 2 * retry_timeout <= ttl)) ||
        die "PATRONI_LOOP_WAIT + 2 * PATRONI_RETRY_TIMEOUT must not exceed PATRONI_TTL in $PGHA_ENV_FILE ($loop_wait + 2 * $retry_timeout > $ttl)"
      ;;
    haproxy)
      check_secret HAPROXY_STATS_PASSWORD
      ;;
    dev)
      check_secret POSTGRES_PASSWORD
      check_secret REPLICATION_PASSWORD
      check_secret HAPROXY_STATS_PASSWORD
      ;;
  esac
  if [[ $target == haproxy || $target == dev ]]; then
    check_not_empty HAPROXY_STATS_USER
    [[ $(pgha_env HAPROXY_STATS_USER) =~ ^[A-Za-z0-9._~-]+$ ]] ||
      die "HAPROXY_STATS_USER in $PGHA_ENV_FILE may only contain letters, digits and ._~-"
    ! is_known_default "$(pgha_env HAPROXY_STATS_USER)" ||
      die "HAPROXY_STATS_USER in $PGHA_ENV_FILE is a well-known default; choose another name"
  fi
}

# run_on_hosts FILE ORDER SCRIPT ARGS...: runs SCRIPT --vm TARGET ARGS on each host of FILE over ssh.
# FILE lines: TARGET SSH_DESTINATION KIT_DIRECTORY (TARGET 1, 2, 3 or haproxy; # starts a comment).
# ORDER is "forward" or "reverse". Every host is tried; the exit status is 1 if any failed.
run_on_hosts() {
  local file=$1 order=$2 script=$3
  shift 3
  local -a lines=() args=("$@")
  local line target dest dir extra failed=0 remote quoted=''
  [[ -f $file ]] || die "hosts file $file not found"
  need_cmd ssh openssh-client
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%%#*}
    [[ $line =~ [^[:space:]] ]] && lines+=("$line")
  done <"$file"
  ((${#lines[@]} > 0)) || die "hosts file $file lists no hosts"
  if [[ $order == reverse ]]; then
    local -a reversed=()
    local i
    for ((i = ${#lines[@]} - 1; i >= 0; i--)); do reversed+=("${lines[i]}"); done
    lines=("${reversed[@]}")
  fi
  ((${#args[@]} > 0)) && quoted=$(printf ' %q' "${args[@]}")
  for line in "${lines[@]}"; do
    read -r target dest dir extra <<<"$line"
    [[ -n $dir && -z $extra ]] || die "hosts file $file: expected 'TARGET SSH_DESTINATION KIT_DIRECTORY', got '$line'"
    [[ $target =~ ^(1|2|3|haproxy)$ ]] || die "hosts file $file: unknown target '$target' (expected 1, 2, 3 or haproxy)"
    printf '=== %s (%s) ===\n' "$target" "$dest"
    remote="cd $(printf '%q' "$dir") && deploy/scripts/$script --vm $target$quoted"
    if ! ssh -o BatchMode=yes -o ConnectTimeout=10 -- "$dest" "$remote"; then
      printf '%s: error: %s on %s failed\n' "$PGHA_PROG" "$target" "$dest" >&2
      failed=1
    fi
  done
  return "$failed"
}

# target_usage: the synopsis of stop-cluster.sh and cluster-status.sh, for their usage().
target_usage() {
  printf 'Usage: %s --vm 1|2|3|haproxy|dev [--env-file FILE]\n       %s --hosts FILE\n\n' "$PGHA_PROG" "$PGHA_PROG"
}

# target_args ARG...: the options stop-cluster.sh and cluster-status.sh take (--vm, --env-file, --hosts,
# --help); sets target, env_file and hosts for the caller.
target_args() {
  # shellcheck disable=SC2034 # used by the scripts that source this file
  target='' env_file='' hosts=''
  while (($# > 0)); do
    case $1 in
      --vm) (($# >= 2)) || usage_error "--vm needs a value"; target=$2; shift 2 ;;
      --env-file) (($# >= 2)) || usage_error "--env-file needs a value"; env_file=$2; shift 2 ;;
      --hosts) (($# >= 2)) || usage_error "--hosts needs a value"; hosts=$2; shift 2 ;;
      -h | --help) usage; exit 0 ;;
      *) usage_error "unknown argument '$1'" ;;
    esac
  done
}

# on_hosts_or_target ORDER SCRIPT: with --hosts, runs SCRIPT on every host of the file in ORDER and exits
# with its status; otherwise returns once --vm is given.
on_hosts_or_target() {
  if [[ -n $hosts ]]; then
    [[ -z $target && -z $env_file ]] || usage_error "--hosts cannot be combined with --vm or --env-file"
    run_on_hosts "$hosts" "$1" "$2"
    exit $?
  fi
  [[ -n $target ]] || usage_error "either --vm or --hosts is required"
}
