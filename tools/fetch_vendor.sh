#!/usr/bin/env bash
# Fetch pinned front-end dependencies from the npm registry and vendor them
# into static/vendor/.  No node_modules is created in the repo: every package
# is fetched with `npm pack <name>@<version>` into a temporary folder.
#
# Usage:
#   tools/fetch_vendor.sh                 fetch, verify against SHA256SUMS, install
#   tools/fetch_vendor.sh --update-sums   fetch, install, rewrite SHA256SUMS
#
# Without --update-sums any checksum mismatch (or a file missing from / extra
# to SHA256SUMS) fails the script and leaves static/vendor/ untouched.
set -euo pipefail

# ---- pinned versions -------------------------------------------------------
HTMX_VERSION="2.0.11"     # newest htmx.org 2.0.* release
WORKBOX_VERSION="7.4.1"   # newest Workbox 7.x; all workbox-* packages share it
WORKBOX_MODULES=(workbox-core workbox-precaching workbox-routing workbox-strategies workbox-expiration)
# ----------------------------------------------------------------------------

UPDATE_SUMS=0
for arg in "$@"; do
  case "$arg" in
    --update-sums) UPDATE_SUMS=1 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/static/vendor"
SUMS="$VENDOR/SHA256SUMS"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
OUT="$TMP/out"            # staged copy of static/vendor/
mkdir -p "$OUT/htmx" "$OUT/workbox"

# fetch NAME VERSION -> prints the unpacked package dir
fetch() {
  local name="$1" version="$2" tgz dir
  tgz="$(cd "$TMP" && npm pack --silent --ignore-scripts "${name}@${version}" | tail -n1)"
  [[ -f "$TMP/$tgz" ]] || { echo "npm pack failed for ${name}@${version}" >&2; exit 1; }
  dir="$TMP/pkg/$name"
  mkdir -p "$dir"
  tar -xzf "$TMP/$tgz" -C "$dir" --strip-components=1
  # sanity: the tarball really is the requested version
  local got
  got="$(node -p "require(process.argv[1]).version" "$dir/package.json")"
  [[ "$got" == "$version" ]] || { echo "$name: expected $version, got $got" >&2; exit 1; }
  echo "$dir"
}

# copy_js SRC DEST: copy and drop any `//# sourceMappingURL=` line so the
# browser never requests a .map file that we do not ship.
copy_js() {
  sed -E '/^\/\/[#@] sourceMappingURL=[^[:space:]]*[[:space:]]*$/d' "$1" > "$2"
}

echo "==> htmx.org@$HTMX_VERSION"
d="$(fetch htmx.org "$HTMX_VERSION")"
copy_js "$d/dist/htmx.min.js" "$OUT/htmx/htmx.min.js"
cp "$d/LICENSE" "$OUT/htmx/LICENSE"

echo "==> workbox-sw@$WORKBOX_VERSION"
d="$(fetch workbox-sw "$WORKBOX_VERSION")"
copy_js "$d/build/workbox-sw.js" "$OUT/workbox/workbox-sw.js"
cp "$d/LICENSE" "$OUT/workbox/LICENSE"

for m in "${WORKBOX_MODULES[@]}"; do
  echo "==> $m@$WORKBOX_VERSION"
  d="$(fetch "$m" "$WORKBOX_VERSION")"
  copy_js "$d/build/$m.prod.js" "$OUT/workbox/$m.prod.js"
done

{
  echo "htmx.org $HTMX_VERSION"
  echo "workbox-sw $WORKBOX_VERSION"
  for m in "${WORKBOX_MODULES[@]}"; do echo "$m $WORKBOX_VERSION"; done
} > "$OUT/VERSIONS"

chmod 644 "$OUT"/VERSIONS "$OUT"/htmx/* "$OUT"/workbox/*

if grep -rl 'sourceMappingURL=' "$OUT" >/dev/null; then
  echo "a sourceMappingURL reference survived:" >&2
  grep -rl 'sourceMappingURL=' "$OUT" >&2
  exit 1
fi

# Every file we ship, relative to static/vendor/, sorted.
list_files() { (cd "$1" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort); }

if (( UPDATE_SUMS )); then
  (cd "$OUT" && list_files . | xargs sha256sum) > "$OUT/SHA256SUMS"
  echo "==> SHA256SUMS rewritten"
else
  [[ -f "$SUMS" ]] || { echo "missing $SUMS (run with --update-sums first)" >&2; exit 1; }
  cp "$SUMS" "$OUT/SHA256SUMS"
  # Every shipped file must be listed, and every listed file must exist.
  if ! diff <(list_files "$OUT") <(awk '{sub(/^\*/, "", $2); print $2}' "$SUMS" | LC_ALL=C sort); then
    echo "file list differs from SHA256SUMS (< fetched, > listed)" >&2
    exit 1
  fi
  echo "==> verifying against SHA256SUMS"
  (cd "$OUT" && sha256sum -c --strict SHA256SUMS) || { echo "checksum mismatch; static/vendor left unchanged" >&2; exit 1; }
fi

# Install: replace the managed folders atomically-ish.
mkdir -p "$VENDOR"
rm -rf "$VENDOR/htmx" "$VENDOR/workbox"
cp -R "$OUT/htmx" "$OUT/workbox" "$VENDOR/"
cp "$OUT/VERSIONS" "$OUT/SHA256SUMS" "$VENDOR/"
echo "==> installed into ${VENDOR#"$ROOT"/}"
cat "$VENDOR/VERSIONS"
