# shellcheck shell=bash
# TLS mode (PGHA_TLS=on at the first `up`): a private CA made at `up`, etcd with client-certificate auth
# (clients and peers), Patroni's REST API over https, PostgreSQL with ssl=on and hostssl-only pg_hba,
# HAProxy checking Patroni over TLS, and the agents and the hook using all of it (etcd client
# certificate, https to Patroni with the CA, JDBC sslmode=verify-full). Like the network mode, the choice
# is kept in the state directory: later verbs see the same cluster.

tls_dir() { printf '%s/tls' "$PGHA_STATE_DIR"; }
tls_on() { [ -f "$(tls_dir)/ca.crt" ]; }
scheme() { if tls_on; then printf https; else printf http; fi; }

# Certificates live 30 days: this is a test and dev cluster, recreated by `down --wipe; up`.
gen_tls() {
  local d n addr
  d=$(tls_dir)
  tls_on && return 0
  command -v openssl >/dev/null || die "PGHA_TLS=on needs openssl"
  install -d -m 0755 "$d"
  (
    umask 077
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
      -subj "/CN=pgha-local $INSTANCE_TAG CA" -keyout "$d/ca.key" -out "$d/ca.crt.tmp" 2>/dev/null
    for n in "${NODES[@]}"; do
      addr=$(node_addr "$n")
      # One certificate per node for etcd (client and peer), Patroni's REST API and PostgreSQL; "etcd" is
      # a name all members share, which the agents check instead (pgha.etcd.authority, set here to exercise it).
      sign_cert "$d" "node$n" "/CN=$(member_name "$n")" "IP:$addr,IP:127.0.0.1,DNS:localhost,DNS:etcd" serverAuth,clientAuth
    done
    sign_cert "$d" client "/CN=pgha-agent" "DNS:pgha-agent" clientAuth
  ) || die "could not create the TLS certificates in $d"
  chmod 0644 "$d/ca.crt.tmp"
  mv "$d/ca.crt.tmp" "$d/ca.crt"
  say "TLS: CA and certificates in $d (etcd client-cert auth, Patroni https, PostgreSQL verify-full)"
}

# sign_cert DIR NAME SUBJECT SAN EKU: NAME.key (PKCS#8, what Netty and PostgreSQL read) and NAME.crt.
sign_cert() {
  local d=$1 name=$2 subj=$3 san=$4 eku=$5
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "$subj" \
    -keyout "$d/$name.key" -out "$d/$name.csr" 2>/dev/null
  openssl x509 -req -in "$d/$name.csr" -CA "$d/ca.crt.tmp" -CAkey "$d/ca.key" -CAcreateserial -days 30 \
    -out "$d/$name.crt" -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=%s\nkeyUsage=digitalSignature\n' "$san" "$eku") 2>/dev/null
  rm -f "$d/$name.csr"
  chmod 0644 "$d/$name.crt"
}

# tls_install_for N OWNER DEST: node N's certificate and key, the client pair and the CA, owned by OWNER
# with 0600 keys (PostgreSQL refuses a key others can read; etcd and the agent run as other users).
tls_install_for() {
  local n=$1 owner=$2 dest=$3 d
  d=$(tls_dir)
  install -d -o "$owner" -g "$owner" -m 0700 "$dest"
  install -o "$owner" -g "$owner" -m 0644 "$d/ca.crt" "$dest/ca.crt"
  install -o "$owner" -g "$owner" -m 0644 "$d/node$n.crt" "$dest/node.crt"
  install -o "$owner" -g "$owner" -m 0600 "$d/node$n.key" "$dest/node.key"
  install -o "$owner" -g "$owner" -m 0644 "$d/client.crt" "$dest/client.crt"
  install -o "$owner" -g "$owner" -m 0600 "$d/client.key" "$dest/client.key"
}

# etcdctl's TLS flags for root's tools (status, wait): the client certificate from the state directory.
etcdctl_tls() {
  tls_on || return 0
  local d
  d=$(tls_dir)
  printf '%s\n' "--cacert=$d/ca.crt" "--cert=$d/client.crt" "--key=$d/client.key"
}

# curl's flag for Patroni's REST API in TLS mode.
curl_tls() {
  tls_on || return 0
  printf '%s\n' "--cacert" "$(tls_dir)/ca.crt"
}

# The agent's or hook's etcd settings, as env assignments (one per line).
etcd_client_env() {
  local dir=$1
  printf 'PGHA_ETCD_ENDPOINTS=%s\n' "$(etcd_endpoints)"
  tls_on || return 0
  printf '%s\n' "PGHA_ETCD_CA_FILE=$dir/ca.crt" "PGHA_ETCD_CERT_FILE=$dir/client.crt" \
    "PGHA_ETCD_KEY_FILE=$dir/client.key" "PGHA_ETCD_AUTHORITY=etcd"
}
