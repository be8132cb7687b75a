#!/usr/bin/env bash
# Starts the production server (server.js) on its own embedded database and checks that it
# serves the sign-in page, the health check, and the socket.io endpoint; then stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
port=4391
mkdir -p .data
DATA_DIR=.data/smoke EMBEDDED_PG_PORT=54342 PORT=$port ORIGIN="http://127.0.0.1:$port" NODE_ENV=production \
	JWT_SECRET="smoke-test-secret-that-is-long-enough-0123456789" node server.js > .data/smoke.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 90); do
	curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
	sleep 1
done
curl -fsS "http://127.0.0.1:$port/health"; echo
curl -fsS "http://127.0.0.1:$port/login" | grep -q '<form' && echo "login page served"
curl -fsS "http://127.0.0.1:$port/socket.io/?EIO=4&transport=polling" -H "Origin: http://127.0.0.1:$port" | grep -q '"sid"' \
	&& echo "socket.io answers (handshake reaches auth)" || { echo "socket.io did not answer"; cat .data/smoke.log; exit 1; }
kill -TERM $pid; wait $pid || true
echo "smoke: ok"
