#!/usr/bin/env bash
# Builds the deployment package of the Function App, and only that: the three functions compiled with exactly the
# shared/ modules they import (tsconfig.app.json: the compiler follows the imports from functions/*.ts, so the
# sandbox, the rehearsal, the chaos campaign, the bench, the local queue host and the CLI are never in it), host.json,
# a package.json whose dependencies are only the production packages those compiled files import
# (infra/package-manifest.mjs: not the CLI's commander, cli-progress, csv-parse and csv-stringify), its lockfile and
# those dependencies, zipped with host.json at the root. Everything happens in a staging folder: the working tree and
# its dist/ are left as they are.
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

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT

echo "compiling the functions (tsconfig.app.json) in $root"
(cd "$root" && npm run build:app --silent -- --outDir "$staging/dist")
cp "$root/host.json" "$root/package.json" "$root/package-lock.json" "$staging/"

echo "installing production dependencies"
# From the lockfile; packages already in npm's cache are taken from there. No install scripts: the production
# dependencies are plain JavaScript, and the dev-only `node` package (the Node 22 binary for npm scripts) is not
# installed; Azure runs the Node 22 of functionAppConfig.
(cd "$staging" && npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error)

# the package's own package.json lists only what the functions import; prune removes the rest from node_modules and
# the lockfile, so the package's lockfile matches its package.json
echo "the functions' dependencies: $(node "$root/infra/package-manifest.mjs" "$root/package.json" "$staging")"
(cd "$staging" && npm prune --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error)

# the local queue host (queuehost/) is a test harness standing in for the Functions host: production runs on the host
[[ ! -e "$staging/dist/queuehost" ]] || { echo "error: dist/queuehost/ (the local queue host, a test harness) reached the package" >&2; exit 1; }

for function in nightlyWave onCallReport tenantNight; do
  [[ -f "$staging/dist/functions/$function.js" ]] || { echo "error: dist/functions/$function.js was not built" >&2; exit 1; }
done

rm -f "$output"
(cd "$staging" && zip -qr "$output" .)
echo "package: $output ($(du -h "$output" | cut -f1))"
