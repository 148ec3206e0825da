#!/usr/bin/env bash
# Offline check of the vendored front-end files against static/vendor/SHA256SUMS.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../static/vendor"
sha256sum -c --quiet --strict SHA256SUMS
echo "static/vendor: all checksums OK"
