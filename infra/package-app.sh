#!/usr/bin/env bash
# Builds the deployment package of the Function App: the compiled JavaScript (dist/), host.json,
# package.json and the production dependencies, zipped with host.json at the root. The build happens in
# a staging folder, so the working tree keeps its dev dependencies.
#
#   infra/package-app.sh [output.zip]
#
# Default output: ${TMPDIR:-/tmp}/mfa-rollout-<commit>.zip. Keep every package you deploy: redeploying
# the previous one is how a code release is rolled back (docs/deployment.md).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unversioned)"
if [[ -n "$(git -C "$root" status --porcelain 2>/dev/null)" ]]; then commit="$commit-dirty"; fi
output="${1:-${TMPDIR:-/tmp}/mfa-rollout-$commit.zip}"
[[ "$output" == /* ]] || output="$PWD/$output"

command -v zip >/dev/null 2>&1 || { echo "error: zip is not installed" >&2; exit 1; }

echo "building in $root"
(cd "$root" && npm run build --silent)

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
cp -R "$root/dist" "$root/host.json" "$root/package.json" "$root/package-lock.json" "$staging/"

echo "installing production dependencies"
# No install scripts: the production dependencies are plain JavaScript, and the dev-only `node` package
# (the Node 22 binary for npm scripts) is not installed; Azure runs the Node 22 of functionAppConfig.
(cd "$staging" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)

[[ -f "$staging/dist/functions/nightlyWave.js" ]] || { echo "error: dist/functions/nightlyWave.js was not built" >&2; exit 1; }

rm -f "$output"
(cd "$staging" && zip -qr "$output" .)
echo "package: $output ($(du -h "$output" | cut -f1))"
