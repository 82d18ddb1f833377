#!/usr/bin/env bash
# A three-node PostgreSQL 15 cluster on this machine: Patroni on each node, a three-member etcd,
# loopback ports only, synchronous replication (synchronous_mode + synchronous_mode_strict).
#   infra/cluster/cluster.sh up|down|status|url|leader
# Data and logs under ${HARBOUR_DATA_DIR:-./data}/cluster/. See infra/cluster/README.md.
set -euo pipefail

CMD=${1:-status}
DATA_ROOT=${HARBOUR_DATA_DIR:-./data}
DIR=$(mkdir -p "$DATA_ROOT/cluster" && cd "$DATA_ROOT/cluster" && pwd)
PG_BIN=/usr/lib/postgresql/15/bin
NODES=(1 2 3)
pg_port() { echo $((5440 + $1)); }
api_port() { echo $((8440 + $1)); }
etcd_client() { echo $((2440 + $1)); }
etcd_peer() { echo $((2540 + $1)); }
ETCD_HOSTS="127.0.0.1:2441,127.0.0.1:2442,127.0.0.1:2443"
RUN_AS=()
if [ "$(id -u)" = 0 ]; then RUN_AS=(runuser -u postgres --); fi

say() { echo "cluster: $*" >&2; }

ensure_packages() {
  local missing=()
  [ -x "$PG_BIN/postgres" ] || missing+=(postgresql-15)
  command -v patroni >/dev/null || missing+=(patroni)
  command -v etcd >/dev/null || missing+=(etcd-server)
  command -v psql >/dev/null || missing+=(postgresql-client-15)
  [ ${#missing[@]} = 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    say "missing Debian packages: ${missing[*]}; install them (apt-get install ${missing[*]}) or run this as root"
    exit 1
  fi
  say "installing missing Debian packages with apt-get: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >"$DIR/apt.log" 2>&1 ||
    { say "apt-get install failed (see $DIR/apt.log)"; exit 1; }
  # Debian starts a default cluster/service on install where it can; ours never uses them.
}

secret() { # a random password kept beside the data (mode 600), the same on every run
  local file="$DIR/secrets/$1"
  if [ ! -s "$file" ]; then
    mkdir -p "$DIR/secrets" && chmod 700 "$DIR/secrets"
    head -c 18 /dev/urandom | base64 | tr '+/' '-_' >"$file"
    chmod 600 "$file"
  fi
  cat "$file"
}

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

write_patroni_config() {
  local n=$1
  cat >"$DIR/patroni$n.yml" <<YML
scope: harbour
name: pg$n
log:
  level: WARNING
restapi:
  listen: 127.0.0.1:$(api_port "$n")
  connect_address: 127.0.0.1:$(api_port "$n")
etcd3:
  hosts: $ETCD_HOSTS
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 4
    # Fail over at once when the primary's PostgreSQL dies, rather than restarting it in place.
    master_start_timeout: 0
    maximum_lag_on_failover: 1048576
    # No commit is acknowledged before a standby has it; with no standby, writes wait (strict).
    synchronous_mode: true
    synchronous_mode_strict: true
    synchronous_node_count: 1
    postgresql:
      use_pg_rewind: true
      remove_data_directory_on_rewind_failure: true
      use_slots: true
      parameters:
        wal_level: replica
        hot_standby: 'on'
        max_wal_senders: 10
        max_replication_slots: 10
        wal_keep_size: 256MB
        synchronous_commit: 'on'
        max_connections: 100
        idle_in_transaction_session_timeout: 60s
        log_min_messages: warning
        log_statement: none
        log_min_error_statement: panic
  initdb:
    - encoding: UTF8
    - data-checksums
    - auth-local: trust
    - auth-host: scram-sha-256
  pg_hba:
    - local all all trust
    - host replication replicator 127.0.0.1/32 scram-sha-256
    - host all all 127.0.0.1/32 scram-sha-256
postgresql:
  listen: 127.0.0.1:$(pg_port "$n")
  connect_address: 127.0.0.1:$(pg_port "$n")
  data_dir: $DIR/pg$n
  bin_dir: $PG_BIN
  pgpass: $DIR/run/pgpass$n
  authentication:
    superuser:
      username: postgres
      password: $(secret postgres)
    replication:
      username: replicator
      password: $(secret replicator)
    rewind:
      username: postgres
      password: $(secret postgres)
  parameters:
    unix_socket_directories: $DIR/run
tags:
  nofailover: false
  noloadbalance: false
YML
  chmod 600 "$DIR/patroni$n.yml"
}

start_etcd() {
  local n=$1 cluster="e1=http://127.0.0.1:2541,e2=http://127.0.0.1:2542,e3=http://127.0.0.1:2543"
  alive "$DIR/run/etcd$n.pid" && return 0
  local state=new
  [ -d "$DIR/etcd$n/member" ] && state=existing
  mkdir -p "$DIR/etcd$n" && chmod 700 "$DIR/etcd$n"
  [ ${#RUN_AS[@]} = 0 ] || chown -R postgres:postgres "$DIR/etcd$n"
  setsid "${RUN_AS[@]}" etcd --name "e$n" --data-dir "$DIR/etcd$n" \
    --listen-client-urls "http://127.0.0.1:$(etcd_client "$n")" \
    --advertise-client-urls "http://127.0.0.1:$(etcd_client "$n")" \
    --listen-peer-urls "http://127.0.0.1:$(etcd_peer "$n")" \
    --initial-advertise-peer-urls "http://127.0.0.1:$(etcd_peer "$n")" \
    --initial-cluster "$cluster" --initial-cluster-state "$state" --initial-cluster-token harbour-cluster \
    --heartbeat-interval 200 --election-timeout 2000 --log-level warn \
    >>"$DIR/log/etcd$n.log" 2>&1 </dev/null &
  echo $! >"$DIR/run/etcd$n.pid"
}

start_patroni() {
  local n=$1
  alive "$DIR/run/patroni$n.pid" && return 0
  write_patroni_config "$n"
  [ -d "$DIR/pg$n" ] || mkdir -m 700 "$DIR/pg$n"
  [ ${#RUN_AS[@]} = 0 ] || chown postgres:postgres "$DIR/patroni$n.yml" "$DIR/pg$n"
  setsid "${RUN_AS[@]}" patroni "$DIR/patroni$n.yml" >>"$DIR/log/patroni$n.log" 2>&1 </dev/null &
  echo $! >"$DIR/run/patroni$n.pid"
}

# The node whose Patroni REST API answers 200 on /primary (prints its number), or nothing.
leader() {
  local n
  for n in "${NODES[@]}"; do
    if curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$(api_port "$n")/primary"; then
      echo "$n"
      return 0
    fi
  done
  return 1
}

database_url() {
  echo "postgres://harbour:$(secret harbour)@127.0.0.1:5441,127.0.0.1:5442,127.0.0.1:5443/harbour?target_session_attrs=read-write"
}

psql_on() { # psql_on <node> <sql>: as the superuser over the node's socket
  "${RUN_AS[@]}" psql -h "$DIR/run" -p "$(pg_port "$1")" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtAc "$2"
}

up() {
  ensure_packages
  mkdir -p "$DIR/run" "$DIR/log"
  chmod 755 "$DIR"
  [ ${#RUN_AS[@]} = 0 ] || chown postgres:postgres "$DIR/run" "$DIR/log"
  for n in "${NODES[@]}"; do start_etcd "$n"; done
  say "etcd: 3 members on 127.0.0.1:2441-2443 (peers 2541-2543)"
  for i in $(seq 1 100); do
    curl -fs --max-time 1 http://127.0.0.1:2441/health 2>/dev/null | grep -q '"health":"true"' && break
    sleep 0.2
    [ "$i" = 100 ] && { say "etcd did not become healthy (see $DIR/log/etcd*.log)"; exit 1; }
  done
  for n in "${NODES[@]}"; do start_patroni "$n"; done
  say "patroni: 3 nodes, PostgreSQL 15 on 127.0.0.1:5441-5443, REST API on 127.0.0.1:8441-8443"
  local lead=""
  for i in $(seq 1 300); do
    lead=$(leader || true)
    [ -n "$lead" ] && break
    sleep 0.5
  done
  [ -n "$lead" ] || { say "no leader elected within 150 s (see $DIR/log/patroni*.log)"; exit 1; }
  say "leader elected: pg$lead (127.0.0.1:$(pg_port "$lead"))"
  # The application's role and database (idempotent), created on the primary.
  psql_on "$lead" "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'harbour') THEN CREATE ROLE harbour LOGIN PASSWORD '$(secret harbour)'; END IF; END\$\$;"
  psql_on "$lead" "SELECT 1 FROM pg_database WHERE datname = 'harbour'" | grep -q 1 ||
    psql_on "$lead" "CREATE DATABASE harbour OWNER harbour"
  # Wait until a synchronous standby is attached: before that, writes would wait (strict mode).
  for i in $(seq 1 240); do
    [ -n "$(psql_on "$lead" "SELECT 1 FROM pg_stat_replication WHERE sync_state = 'sync'" 2>/dev/null)" ] && break
    sleep 0.5
    [ "$i" = 240 ] && say "warning: no synchronous standby yet; writes wait until one attaches"
  done
  say "ready: $(status_line)"
  echo "DATABASE_URL=$(database_url)"
  echo "HARBOUR_READ_REPLICA_URL=postgres://harbour:$(secret harbour)@127.0.0.1:5441,127.0.0.1:5442,127.0.0.1:5443/harbour?target_session_attrs=standby"
}

status_line() {
  local n out=()
  for n in "${NODES[@]}"; do
    local role
    role=$(curl -fs --max-time 1 "http://127.0.0.1:$(api_port "$n")/patroni" 2>/dev/null |
      python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("role","?")+"/"+d.get("state","?"))' 2>/dev/null || echo down)
    out+=("pg$n:$(pg_port "$n")=$role")
  done
  echo "${out[*]}"
}

status() {
  if [ ! -d "$DIR/run" ]; then say "not set up ($DIR)"; return 1; fi
  echo "$(status_line)"
  [ -s "$DIR/patroni1.yml" ] && "${RUN_AS[@]}" patronictl -c "$DIR/patroni1.yml" list 2>/dev/null || true
}

stop_pidfile() { # stop_pidfile <file> <seconds>
  local f=$1 wait=$2
  alive "$f" || { rm -f "$f"; return 0; }
  local pid
  pid=$(cat "$f")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((wait * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$f"
}

down() {
  [ -d "$DIR/run" ] || { say "nothing to stop"; return 0; }
  for n in "${NODES[@]}"; do stop_pidfile "$DIR/run/patroni$n.pid" 30 & done
  wait
  # A PostgreSQL whose Patroni was killed keeps running: stop it by its own pid file.
  for n in "${NODES[@]}"; do
    local pm="$DIR/pg$n/postmaster.pid"
    if [ -s "$pm" ] && kill -0 "$(head -1 "$pm")" 2>/dev/null; then
      "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$DIR/pg$n" -m fast -w stop >/dev/null 2>&1 || kill -KILL "$(head -1 "$pm")" || true
    fi
  done
  for n in "${NODES[@]}"; do stop_pidfile "$DIR/run/etcd$n.pid" 10; done
  say "stopped (data kept in $DIR; remove it to start afresh)"
}

case "$CMD" in
  up) up ;;
  down) down ;;
  status) status ;;
  url) database_url ;;
  healthy) # exit 0 when a leader and a synchronous standby run and every node is streaming
    curl -fs --max-time 1 http://127.0.0.1:8441/cluster 2>/dev/null | python3 -c '
import json, sys
m = json.load(sys.stdin)["members"]
ok = len(m) == 3 and all(x.get("state") in ("running", "streaming") for x in m) \
  and any(x["role"] == "leader" for x in m) and any(x["role"] == "sync_standby" for x in m)
sys.exit(0 if ok else 1)' ;;
  fresh-db) # fresh-db <name>: drop and create a database owned by harbour (for drills); prints its URL
    name=${2:?database name}
    [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || { say "bad database name"; exit 2; }
    n=$(leader) || { say "no leader: run cluster:up"; exit 1; }
    psql_on "$n" "DROP DATABASE IF EXISTS $name WITH (FORCE)"
    psql_on "$n" "CREATE DATABASE $name OWNER harbour"
    database_url | sed "s#/harbour?#/$name?#" ;;
  leader) n=$(leader) && echo "pg$n 127.0.0.1:$(pg_port "$n") postmaster $(head -1 "$DIR/pg$n/postmaster.pid")" ;;
  *) echo "usage: $0 up|down|status|url|leader|healthy|fresh-db <name>" >&2; exit 2 ;;
esac
