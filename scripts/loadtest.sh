#!/usr/bin/env bash
# Load test on loopback: cached coverage and a cached overlay from frontline,
# and the same overlay bytes from nginx with gzip_static, side by side.
# Needs wrk and nginx (Debian: apt-get install wrk nginx). Results go to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${DUR:-10s}
CONN=${CONN:-32}
work=$(mktemp -d)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/frontline" ./cmd/frontline
# One client at tens of thousands of requests a second: lift the per-client
# rate limits, which would rightly answer it with 429.
"$work/frontline" serve --db "$work/f.db" --addr 127.0.0.1:18080 --read-rate 0 --write-rate 0 >"$work/serve.log" 2>&1 &
echo $! >"$work/frontline.pid"
for _ in $(seq 50); do curl -sf http://127.0.0.1:18080/readyz >/dev/null && break; sleep 0.2; done

overlay=/v1/overlays/zones
mkdir -p "$work/www/v1/overlays"
curl -sf "http://127.0.0.1:18080$overlay" >"$work/www$overlay"
gzip -1 -k "$work/www$overlay"
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  types { application/geo+json geojson; }
  default_type application/geo+json;
  server {
    listen 127.0.0.1:18081;
    root $work/www;
    gzip_static on;
    etag on;
  }
}
CONF
chmod -R a+rX "$work"
nginx -c "$work/nginx.conf"

run() { # name url [header]
  echo "== $1"
  if [ $# -ge 3 ]; then
    wrk -t2 -c"$CONN" -d"$DUR" --latency -H "$3" "$2" | grep -E 'Requests/sec|Transfer/sec| 50%| 99%|Non-2xx|Socket errors'
  else
    wrk -t2 -c"$CONN" -d"$DUR" --latency "$2" | grep -E 'Requests/sec|Transfer/sec| 50%| 99%|Non-2xx|Socket errors'
  fi
}
echo "overlay size: $(wc -c <"$work/www$overlay") bytes, gzip $(wc -c <"$work/www$overlay.gz") bytes"
run "frontline GET /v1/coverage (cached)" "http://127.0.0.1:18080/v1/coverage"
run "frontline GET $overlay gzip (cached)" "http://127.0.0.1:18080$overlay" "Accept-Encoding: gzip"
run "nginx gzip_static $overlay" "http://127.0.0.1:18081$overlay" "Accept-Encoding: gzip"
run "frontline GET $overlay plain (cached)" "http://127.0.0.1:18080$overlay"
run "nginx $overlay plain" "http://127.0.0.1:18081$overlay"
