#!/usr/bin/env bash
# Install the SPARQL editor's browser files - the @zazuko/yasgui package (MIT) from the npm
# registry, at a pinned version checked against its tarball's SHA-256 - into
# src/smartcity_kg/web/static/vendor/yasgui/, where the /sparql page loads them from. The
# server then needs no network to show the editor. Does nothing when they are installed.
set -euo pipefail

VERSION=4.6.2
SHA256=6520cdd256a4003e8d45865e0d631b6456b88a0e6b65f4f3e56d78a25d74c9a7
FILES=(yasgui.min.js yasgui.min.css)

cd "$(dirname "$0")/.."
target=src/smartcity_kg/web/static/vendor/yasgui
if [ "$(cat "$target/VERSION" 2>/dev/null)" = "$VERSION" ] \
   && [ -f "$target/yasgui.min.js" ] && [ -f "$target/yasgui.min.css" ]; then
    exit 0
fi
command -v npm >/dev/null || { echo "fetch-yasgui: npm is needed (Debian: apt-get install -y npm)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@zazuko/yasgui@$VERSION" >/dev/null)
tarball="$work/zazuko-yasgui-$VERSION.tgz"
echo "$SHA256  $tarball" | sha256sum --check --quiet
tar -xzf "$tarball" -C "$work" package/package.json "${FILES[@]/#/package/build/}"

mkdir -p "$target"
for name in "${FILES[@]}"; do
    cp "$work/package/build/$name" "$target/$name"
done
cp "$work/package/package.json" "$target/package.json"
echo "$VERSION" > "$target/VERSION"
echo "fetch-yasgui: installed @zazuko/yasgui $VERSION in $target"
