#!/usr/bin/env bash
# Benchmarks Portico against nginx serving the same HTML.
#
#   scripts/bench.sh [ARTICLES]        (default 100000)
#
# Builds the release site, generates a synthetic site of ARTICLES articles through the service
# layer (SQLite), starts Portico, saves its article, home and column pages to disk, serves those
# files with nginx on another loopback port (gzip_static, the same compressed bytes a browser
# gets), and runs wrk (2 threads, 32 connections, 10 s, Accept-Encoding: gzip) against both in
# the same run. The article is a demo article with its picture (about 1,000 Chinese characters,
# 3 KB of text). Then the same article with the page cache off (every request rendered from
# the database: a cache miss) at 32 connections, column-page and deep-pagination latency with
# the cache off and on, and the server's peak memory (RSS).
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$ROOT"
ARTICLES="${1:-100000}"
PORT=3300
NGINX_PORT=3301
UNCACHED_PORT=3302
UA="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"

setup_build
for tool in wrk nginx; do
  if ! command -v "$tool" >/dev/null && [ ! -x "/usr/sbin/$tool" ]; then
    say "installing $tool"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "$tool"
  fi
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

say "release build"
if ! build_site >/tmp/portico-bench-build.log 2>&1; then
  cat /tmp/portico-bench-build.log >&2
  exit 1
fi

WORK=$(mktemp -d /tmp/portico-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

export DATABASE_URL="sqlite://$WORK/bench.db?mode=rwc"
export PORTICO_UPLOADS_DIR="$WORK/uploads"
export PORTICO_LOG=warn
export LEPTOS_SITE_ROOT=target/site

say "generating $ARTICLES articles"
target/release/portico bench-data --articles "$ARTICLES"

start_server() { # port, extra env...
  local port=$1; shift
  env "$@" LEPTOS_SITE_ADDR="127.0.0.1:$port" PORTICO_PUBLIC_URL="http://127.0.0.1:$port" \
    target/release/portico serve --no-seed >"$WORK/server-$port.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server on $port did not start" >&2; cat "$WORK/server-$port.log" >&2; exit 1
}

start_server $PORT
SERVER_PID=${PIDS[-1]}
BASE="http://127.0.0.1:$PORT"
# A demo article with a picture in its body (the demo articles come first).
ARTICLE=""
for id in $(seq 1 100); do
  if curl -fs "$BASE/articles/$id" 2>/dev/null | grep -q '<figure class="figure"'; then ARTICLE="/articles/$id"; break; fi
done
[ -n "$ARTICLE" ] || { echo "no demo article with a picture" >&2; exit 1; }
NEWS=$(curl -fs "$BASE/columns/news")
LAST_PAGE=$(grep -o '第 1 / [0-9]* 页' <<<"$NEWS" | grep -o '[0-9]*' | sed -n 2p)

say "saving the pages for nginx"
mkdir -p "$WORK/www"
curl -fs -A "$UA" "$BASE/" -o "$WORK/www/index.html"
curl -fs -A "$UA" "$BASE$ARTICLE" -o "$WORK/www/article.html"
curl -fs -A "$UA" "$BASE/columns/news" -o "$WORK/www/column.html"
gzip -9 -k "$WORK/www/index.html" "$WORK/www/article.html" "$WORK/www/column.html"
cat >"$WORK/nginx.conf" <<NGINX
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  types { text/html html; }
  client_body_temp_path $WORK/nginx-tmp;
  proxy_temp_path $WORK/nginx-tmp;
  fastcgi_temp_path $WORK/nginx-tmp;
  uwsgi_temp_path $WORK/nginx-tmp;
  scgi_temp_path $WORK/nginx-tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    gzip_static on;
    location = /article { try_files /article.html =404; }
    location = /column { try_files /column.html =404; }
  }
}
NGINX
mkdir -p "$WORK/nginx-tmp"
"$NGINX" -c "$WORK/nginx.conf"

run_wrk() { # label url threads connections seconds
  local line
  line=$(wrk -t"$2" -c"$3" -d"$4"s --latency -s scripts/bench-report.lua \
    -H "Accept-Encoding: gzip" -H "User-Agent: $UA" "$1" | grep '^RESULT')
  echo "$line"
}
field() { echo "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }

# Let the generator's writes reach the disk, then warm both servers (and fill the cache)
# before timing: the first seconds after start-up are not what readers get.
sync
for url in "$BASE/" "$BASE$ARTICLE" "$BASE/columns/news"; do curl -fs -H "Accept-Encoding: gzip" -A "$UA" "$url" >/dev/null; done
for url in "$BASE/" "$BASE$ARTICLE" "$BASE/columns/news" "http://127.0.0.1:$NGINX_PORT/" "http://127.0.0.1:$NGINX_PORT/article" "http://127.0.0.1:$NGINX_PORT/column"; do
  wrk -t2 -c32 -d2s -H "Accept-Encoding: gzip" -H "User-Agent: $UA" "$url" >/dev/null
done

say "cached pages: wrk -t2 -c32 -d10s, Accept-Encoding: gzip (same machine as the servers)"
printf 'article %s: %s bytes of HTML\n' "$ARTICLE" "$(wc -c <"$WORK/www/article.html")"
printf '%-28s %10s %9s %9s\n' "page" "req/s" "p50 ms" "p99 ms"
declare -A RPS
NGINX_BASE="http://127.0.0.1:$NGINX_PORT"
for page in article home column; do
  case $page in
    article) p_url="$BASE$ARTICLE"; n_url="$NGINX_BASE/article" ;;
    home) p_url="$BASE/"; n_url="$NGINX_BASE/" ;;
    column) p_url="$BASE/columns/news"; n_url="$NGINX_BASE/column" ;;
  esac
  r=$(run_wrk "$p_url" 2 32 10); RPS[portico-$page]=$(field "$r" rps)
  printf '%-28s %10s %9s %9s\n' "portico $page" "$(field "$r" rps)" "$(field "$r" p50)" "$(field "$r" p99)"
  r=$(run_wrk "$n_url" 2 32 10); RPS[nginx-$page]=$(field "$r" rps)
  printf '%-28s %10s %9s %9s\n' "nginx $page (same HTML)" "$(field "$r" rps)" "$(field "$r" p50)" "$(field "$r" p99)"
  awk -v a="${RPS[portico-$page]}" -v b="${RPS[nginx-$page]}" -v p="$page" 'BEGIN { printf "%-28s %10.2fx\n", "ratio " p " (portico/nginx)", a / b }'
done

start_server $UNCACHED_PORT PORTICO_CACHE_MB=0
UNCACHED="http://127.0.0.1:$UNCACHED_PORT"
say "cache misses: the same pages rendered for every request (cache off), wrk -t2 -c32 -d10s, gzip"
printf '%-28s %10s %9s %9s\n' "page" "req/s" "p50 ms" "p99 ms"
for spec in "uncached article|$UNCACHED$ARTICLE" "uncached home|$UNCACHED/" "uncached column|$UNCACHED/columns/news"; do
  label=${spec%%|*}; url=${spec#*|}
  curl -fs -o /dev/null "$url" || { echo "$url failed" >&2; exit 1; }
  r=$(run_wrk "$url" 2 32 10)
  printf '%-28s %10s %9s %9s\n' "$label" "$(field "$r" rps)" "$(field "$r" p50)" "$(field "$r" p99)"
done

say "column pages at $ARTICLES articles (1 connection, 5 s each)"
printf '%-44s %9s %9s %9s\n' "page" "p50 ms" "p95 ms" "p99 ms"
for spec in "uncached /columns/news|$UNCACHED/columns/news" \
            "uncached /columns/zone-news?page=2|$UNCACHED/columns/zone-news?page=2" \
            "uncached deep /columns/news?page=$LAST_PAGE|$UNCACHED/columns/news?page=$LAST_PAGE" \
            "cached /columns/news|$BASE/columns/news" \
            "cached deep /columns/news?page=$LAST_PAGE|$BASE/columns/news?page=$LAST_PAGE"; do
  label=${spec%%|*}; url=${spec#*|}
  curl -fs -o /dev/null "$url" || { echo "$url failed" >&2; exit 1; }
  r=$(run_wrk "$url" 1 1 5)
  printf '%-44s %9s %9s %9s\n' "$label" "$(field "$r" p50)" "$(field "$r" p95)" "$(field "$r" p99)"
done

say "memory"
printf 'server peak RSS after the runs: %s MB\n' "$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' /proc/$SERVER_PID/status)"
