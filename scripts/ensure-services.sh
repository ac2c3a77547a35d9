#!/usr/bin/env bash
# Makes sure the servers the test suite talks to are up on this machine:
# PostgreSQL, Redis, RabbitMQ, NATS (JetStream) and ffmpeg, plus the binaries
# the edge and operations tests start themselves (nginx with ModSecurity, njs and
# the OWASP CRS, prometheus and promtool), wrk for the REST benchmark, and chromium for the web client's browser tests. Installs what is missing from
# Debian's packages and starts what is stopped. Idempotent.
set -euo pipefail

log() { printf '[ensure-services] %s\n' "$*"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {
  local port=$1 name=$2
  for _ in $(seq 1 60); do port_open "$port" && return 0; sleep 0.5; done
  log "$name did not open port $port"; return 1
}
APT_UPDATED=0
apt_install() {
  if [ "$(id -u)" != 0 ]; then log "need root to install $*"; return 1; fi
  if [ $APT_UPDATED = 0 ]; then apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# PostgreSQL
if ! port_open 5432; then
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
  ver=$(ls /etc/postgresql | sort -V | tail -1)
  log "starting PostgreSQL $ver"
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  wait_port 5432 PostgreSQL
fi

# Integration files run two at a time, each with a dozen services' pools: the
# default 100 connections is too tight (a file then sees "too many clients" and
# its database gate answers 503). max_connections needs a restart, done once.
pg_max=$(psql -h 127.0.0.1 -U postgres -tAc 'SHOW max_connections' 2>/dev/null || echo 0)
if [ "${pg_max:-0}" -lt 300 ] && command -v pg_ctlcluster >/dev/null; then
  ver=$(ls /etc/postgresql | sort -V | tail -1)
  log "raising PostgreSQL max_connections from $pg_max to 300 (restart)"
  psql -h 127.0.0.1 -U postgres -qc 'ALTER SYSTEM SET max_connections = 300'
  pg_ctlcluster --skip-systemctl-redirect "$ver" main restart
  wait_port 5432 PostgreSQL
fi

# Redis
if ! port_open 6379; then
  command -v redis-server >/dev/null || apt_install redis-server
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_port 6379 Redis
fi

# RabbitMQ
if ! port_open 5672; then
  command -v rabbitmq-server >/dev/null || apt_install rabbitmq-server
  log "starting RabbitMQ"
  rabbitmq-server -detached || true
  wait_port 5672 RabbitMQ
fi

# NATS with JetStream
if ! port_open 4222; then
  command -v nats-server >/dev/null || apt_install nats-server
  log "starting NATS (JetStream)"
  mkdir -p /var/lib/nats-server
  start-stop-daemon --start --oknodo --background --exec "$(command -v nats-server)" -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  wait_port 4222 NATS
fi

# ffmpeg / ffprobe for live and VOD tests
if ! command -v ffmpeg >/dev/null || ! command -v ffprobe >/dev/null; then
  log "installing ffmpeg"
  apt_install ffmpeg
fi

# The WAF edge (deploy/edge) and the Prometheus config, rules and dashboards
# (deploy/prometheus, deploy/grafana): tests start their own nginx and
# prometheus on free ports, so the packages' own daemons are never started
# (policy-rc.d refuses them for the length of the install).
edge_missing() {
  ! command -v nginx >/dev/null || [ ! -e /usr/lib/nginx/modules/ngx_http_modsecurity_module.so ] \
    || [ ! -e /usr/lib/nginx/modules/ngx_http_js_module.so ] || [ ! -d /usr/share/modsecurity-crs/rules ] || ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null
}
if edge_missing; then
  log "installing nginx, ModSecurity, njs (the edge's media URL check), the OWASP CRS and prometheus"
  added_policy=0
  if [ "$(id -u)" = 0 ] && [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && added_policy=1
  fi
  apt_install --no-install-recommends nginx libnginx-mod-http-modsecurity libnginx-mod-http-js modsecurity-crs prometheus
  if [ $added_policy = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
fi

# Chromium for the web client's Playwright e2e tests, the web benchmark and the blog XSS browser test (never a downloaded browser)
# wrk: the load generator `npm run bench:rest` prefers (C, one thread: it leaves the 2 cores to the servers measured;
# autocannon, the fallback, is JavaScript and takes a large share of them)
if ! command -v wrk >/dev/null; then
  log "installing wrk"
  apt_install wrk
fi

if ! command -v chromium >/dev/null; then
  log "installing chromium"
  apt_install chromium fonts-dejavu-core
fi

log "PostgreSQL, Redis, RabbitMQ, NATS, ffmpeg, nginx+ModSecurity+CRS, prometheus, wrk and chromium are ready"
