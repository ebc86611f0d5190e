#!/usr/bin/env bash
# Install the browser files the server serves from src/smartcity_kg/web/static/vendor/, from
# the npm registry at pinned versions checked against their tarballs' SHA-256, so that no
# page ever loads anything from another origin:
#   yasgui      @zazuko/yasgui (MIT): the SPARQL editor on /sparql
#   swagger-ui  swagger-ui-dist (Apache-2.0): the OpenAPI viewer on /docs
# Each package is skipped when its pinned version is already installed.
set -euo pipefail

cd "$(dirname "$0")/.."
vendor=src/smartcity_kg/web/static/vendor

# install NAME NPM-PACKAGE VERSION SHA256 SOURCE-DIR FILE...
install() {
    local name=$1 package=$2 version=$3 sha256=$4 dir=$5
    shift 5
    local target=$vendor/$name
    if [ "$(cat "$target/VERSION" 2>/dev/null)" = "$version" ]; then
        return 0
    fi
    command -v npm >/dev/null || { echo "fetch-vendor: npm is needed (Debian: apt-get install -y npm)" >&2; exit 1; }
    local work
    work=$(mktemp -d)
    (cd "$work" && npm pack --silent "$package@$version" >/dev/null)
    local tarball=("$work"/*.tgz)
    echo "$sha256  ${tarball[0]}" | sha256sum --check --quiet
    local members=(package/package.json)
    for name_ in "$@"; do members+=("package/$dir$name_"); done
    tar -xzf "${tarball[0]}" -C "$work" "${members[@]}"
    mkdir -p "$target"
    for name_ in "$@"; do cp "$work/package/$dir$name_" "$target/$name_"; done
    cp "$work/package/package.json" "$target/package.json"
    echo "$version" > "$target/VERSION"
    rm -rf "$work"
    echo "fetch-vendor: installed $package $version in $target"
}

install yasgui @zazuko/yasgui 4.6.2 \
    6520cdd256a4003e8d45865e0d631b6456b88a0e6b65f4f3e56d78a25d74c9a7 \
    build/ yasgui.min.js yasgui.min.css
install swagger-ui swagger-ui-dist 5.35.0 \
    1b8e891893404ea4c3558b6a87e2a3e494e7eedba41168c2ece5800a391a6ea6 \
    "" swagger-ui-bundle.js swagger-ui.css LICENSE NOTICE
