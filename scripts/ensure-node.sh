#!/usr/bin/env bash
# Makes sure the project's Node.js (the version in .node-version) is at hand and prints the directory to put
# first on PATH:   export PATH="$(scripts/ensure-node.sh):$PATH"
# The machine's own node is used when it has the same major and meets package.json's engines floor; otherwise
# the pinned build is fetched once from the npm registry (package node-linux-<arch>, integrity-checked by
# `npm pack`) into ${XDG_CACHE_HOME:-~/.cache}/nest-saga-platform/ and checked to run. The node tarball carries
# no npm: the machine's npm (10 or newer) runs under it through PATH. Progress goes to stderr, the directory
# alone to stdout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pinned=$(tr -d ' \n\r' < "$root/.node-version")
pinned=${pinned#v}
major=${pinned%%.*}
floor=$(sed -n 's/.*"node": *">=\([0-9.]*\)".*/\1/p' "$root/package.json" | head -1)
say() { printf 'ensure-node: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }
# true when version $1 >= version $2
at_least() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -1)" = "$2" ]; }

[[ $pinned =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "$root/.node-version must hold one exact version, e.g. 24.22.3 (found '$pinned')"

if command -v node >/dev/null; then
  current=$(node -p 'process.versions.node' 2>/dev/null || true)
  if [ "${current%%.*}" = "$major" ] && at_least "$current" "${floor:-$pinned}"; then
    dirname "$(command -v node)"
    exit 0
  fi
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x64 ;;
  Linux-aarch64 | Linux-arm64) platform=linux-arm64 ;;
  *) fail "no npm build of Node for $(uname -s) $(uname -m): install Node $pinned yourself (nvm, fnm and others read .nvmrc / .node-version)" ;;
esac
command -v npm >/dev/null || fail "npm is needed to fetch Node $pinned (and to run under it): install Node.js with npm first"

home=${XDG_CACHE_HOME:-$HOME/.cache}/nest-saga-platform/node-v$pinned-$platform
if [ ! -x "$home/bin/node" ]; then
  say "fetching Node $pinned (npm package node-$platform@$pinned, about 50 MB) into $home"
  mkdir -p "$(dirname "$home")"
  staging=$(mktemp -d "$home.partial.XXXXXX")
  trap 'rm -rf "$staging"' EXIT
  tarball=$(cd "$staging" && npm pack --silent "node-$platform@$pinned") || fail "npm pack node-$platform@$pinned failed"
  tar -xzf "$staging/$tarball" -C "$staging" --strip-components=1 --no-same-owner
  rm -f "$staging/$tarball"
  fetched=$("$staging/bin/node" -p 'process.versions.node' 2>&1) || fail "the fetched node does not run: $fetched"
  [ "$fetched" = "$pinned" ] || fail "node-$platform@$pinned holds Node $fetched"
  # Another run may have finished first: its copy is as good as ours.
  mv -T "$staging" "$home" 2>/dev/null || [ -x "$home/bin/node" ] || fail "cannot create $home"
fi

npm_version=$(PATH="$home/bin:$PATH" npm --version 2>&1) || fail "npm does not run under Node $pinned: $npm_version"
[ "${npm_version%%.*}" -ge 10 ] 2>/dev/null || fail "npm $npm_version is too old for Node $pinned: npm 10 or newer is needed"
say "Node $pinned with npm $npm_version from $home/bin"
echo "$home/bin"
