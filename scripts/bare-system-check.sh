#!/usr/bin/env bash
# Runs the README's test command from a clean clone on a bare system: a minimal Debian 12 chroot
# (debootstrap) with only what the README asks a fresh machine for (root, Node 20 with npm, Python 3
# with venv, git). CI runs on a machine where earlier installs remain; this finds the install steps a
# green CI can hide. Needs root, debootstrap and Debian's mirror; about 3 minutes to build the chroot,
# then a full `npm test` (5-11 minutes here).
#
#   scripts/bare-system-check.sh [CHROOT_DIR]     (default /tmp/longview-bare; removed first)
#
# Node 20 and npm are copied from this machine, as its kind has them (nodesource's build with its
# headers in <prefix>/include/node): Debian 12's own nodejs is 18. pip's index settings are copied and
# its local index folders bind-mounted, the way this machine kind reaches Python packages.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
B="${1:-/tmp/longview-bare}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PIP_DIRS=(/opt/wheels /opt/pypi /opt/pypi-more)

cleanup() {
  for d in "${PIP_DIRS[@]}" /proc; do mountpoint -q "$B$d" 2>/dev/null && umount "$B$d"; done
  return 0
}
trap cleanup EXIT
cleanup
rm -rf "$B"

if ! command -v debootstrap > /dev/null; then
  echo "bare: debootstrap is not installed (apt-get install --no-install-recommends debootstrap)" >&2
  exit 1
fi
echo "bare: debootstrap bookworm into $B"
if ! debootstrap --variant=minbase bookworm "$B" "$MIRROR" > /tmp/longview-bare-debootstrap.log 2>&1; then
  echo "bare: debootstrap failed; the end of /tmp/longview-bare-debootstrap.log:" >&2
  tail -5 /tmp/longview-bare-debootstrap.log >&2
  exit 1
fi
mount -t proc proc "$B/proc"
cp /etc/resolv.conf "$B/etc/resolv.conf"
if compgen -G '/usr/local/share/ca-certificates/*.crt' > /dev/null; then
  mkdir -p "$B/usr/local/share/ca-certificates" && cp /usr/local/share/ca-certificates/*.crt "$B/usr/local/share/ca-certificates/"
fi
chroot "$B" bash -c 'export DEBIAN_FRONTEND=noninteractive; apt-get update -q > /dev/null &&
  apt-get install -y -q --no-install-recommends git ca-certificates python3 python3-venv > /tmp/apt.log 2>&1 && update-ca-certificates > /dev/null 2>&1'

node_prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
cp "$(readlink -f "$(command -v node)")" "$B/usr/bin/node"
mkdir -p "$B/usr/lib/node_modules" "$B/usr/include"
cp -a "$node_prefix/lib/node_modules/npm" "$B/usr/lib/node_modules/"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$B/usr/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$B/usr/bin/npx"
[ -d "$node_prefix/include/node" ] && cp -a "$node_prefix/include/node" "$B/usr/include/"
[ -f "$node_prefix/etc/npmrc" ] && mkdir -p "$B/usr/etc" && cp "$node_prefix/etc/npmrc" "$B/usr/etc/npmrc"

mkdir -p "$B/root/.config/pip" "$B/etc/xdg"
[ -f ~/.config/pip/pip.conf ] && cp ~/.config/pip/pip.conf "$B/root/.config/pip/"
[ -f /etc/pip.conf ] && cp /etc/pip.conf "$B/etc/pip.conf"
[ -d /etc/xdg/pip ] && cp -a /etc/xdg/pip "$B/etc/xdg/"
for d in "${PIP_DIRS[@]}"; do
  [ -d "$d" ] || continue
  mkdir -p "$B$d" && mount --bind "$d" "$B$d"
done

git clone -q "$ROOT" "$B/root/longview"
echo "bare: $(chroot "$B" dpkg -l | grep -c '^ii') Debian packages; running npm test at $(git -C "$ROOT" rev-parse --short HEAD)"
chroot "$B" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TERM=dumb LANG=C.UTF-8 \
  bash -c 'cd /root/longview && npm test'
