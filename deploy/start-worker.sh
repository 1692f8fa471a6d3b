#!/usr/bin/env bash
# Start a Celery worker of the French Novel Tool (development: `./deploy/start-worker.sh`).
# Reads the same environment as the service: REDIS_URL (required), DATABASE_URL, STORAGE_DIR or
# STORAGE_URL, MAX_WORKERS (concurrency, 4), WORKER_MEMORY_LIMIT_MB (2048 per process),
# TASK_TIMEOUT_SECONDS, WORKER_METRICS_PORT (see docs/operations.md). `frenchnovel worker`
# consumes every queue, the small-job one first, and restarts each pool process after 50 tasks
# and when it passes the memory limit.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f .env ]; then
    set -a
    # shellcheck disable=SC1091
    . ./.env
    set +a
fi
: "${REDIS_URL:?REDIS_URL must point at the broker, e.g. redis://localhost:6379/0}"

VENV="${VENV:-.venv}"
exec "$VENV/bin/frenchnovel" worker
