#!/bin/sh
# Renders nginx.conf.template (only the ${EDGE_*} placeholders: nginx's own
# $variables stay) and runs nginx in the foreground under its own prefix.
set -eu
# Signed media URLs are checked here with the nodes' HMAC key (media-grant.js): without it every one would be refused.
: "${EDGE_MEDIA_URL_SECRET:?edge: set EDGE_MEDIA_URL_SECRET to the nodes' MEDIA_URL_SECRET}"
vars=$(env | sed -n 's/^\(EDGE_[A-Z0-9_]*\)=.*/${\1}/p' | tr '\n' ' ')
envsubst "$vars" < "$EDGE_CONF_DIR/nginx.conf.template" > /run/arena-edge/nginx.conf
if grep -q '\${EDGE_' /run/arena-edge/nginx.conf; then
  echo "edge: unset variables in nginx.conf: $(grep -o '\${EDGE_[A-Z0-9_]*}' /run/arena-edge/nginx.conf | sort -u | tr '\n' ' ')" >&2
  exit 2
fi
# The prefix may be a fresh (empty) volume: nginx creates its temp dirs, not their parent.
mkdir -p /var/cache/arena-edge/tmp
exec nginx -p /var/cache/arena-edge -c /run/arena-edge/nginx.conf -e stderr -g 'daemon off;'
