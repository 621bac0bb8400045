#!/usr/bin/env bash
# A hot standby of the local PostgreSQL cluster on 127.0.0.1:5433, by streaming replication (issue 16).
# Used by .ci/run for the PostgreSQL test run (DATABASE_REPLICA_URL); safe to run twice. Needs root (it edits the
# primary's pg_hba.conf to allow local replication connections and runs the standby as the postgres user).
set -euo pipefail
PORT=${REPLICA_PORT:-5433}
DIR=${REPLICA_DIR:-/tmp/wd_replica}
if pg_isready -h 127.0.0.1 -p "$PORT" -q 2>/dev/null; then
  exit 0
fi
HBA=$(psql -h 127.0.0.1 -U postgres -tAc "SHOW hba_file")
if ! grep -qE "^host\s+replication" "$HBA"; then
  echo "host replication all 127.0.0.1/32 trust" >> "$HBA"
  psql -h 127.0.0.1 -U postgres -tAc "SELECT pg_reload_conf()" >/dev/null
fi
BIN=$(dirname "$(readlink -f "$(command -v pg_basebackup)")")
[ -x "$BIN/pg_ctl" ] || BIN=$(ls -d /usr/lib/postgresql/*/bin | tail -1)
rm -rf "$DIR"
# A physical replication slot keeps the WAL until the standby has replayed it: without one, a standby that falls
# behind during a long test run finds its next WAL segment removed and stops following the primary.
SLOT=wd_ci_replica
psql -h 127.0.0.1 -U postgres -tAc "SELECT pg_drop_replication_slot('$SLOT') FROM pg_replication_slots WHERE slot_name = '$SLOT'" >/dev/null
su postgres -c "$BIN/pg_basebackup -h 127.0.0.1 -U postgres -D $DIR -R -X stream -c fast -C -S $SLOT"
cat > "$DIR/postgresql.conf" <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '/tmp'
hot_standby = on
max_standby_streaming_delay = 5s
hba_file = '$HBA'
CONF
chown postgres "$DIR/postgresql.conf"
su postgres -c "$BIN/pg_ctl -D $DIR -l $DIR.log -w start" >/dev/null
psql -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT pg_is_in_recovery()" | grep -q t
echo "standby on 127.0.0.1:$PORT"
