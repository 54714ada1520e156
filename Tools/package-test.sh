#!/usr/bin/env bash
# Issue 34's install and upgrade test, as root (a chroot): builds both packages once (Tools/package.sh; revision 2 of
# the same binaries is the upgrade), installs revision 1 in a throwaway minimal Debian (debootstrap, kept in
# .build/package-root and copied for each run), runs the hub as its systemd unit would (its user, its ExecStart),
# enrols a laptop, logs and syncs; publishes revision 2 of the laptop package at the hub, which `fieldsync update`
# downloads, checks and installs; upgrades the hub package and restarts it; logs and syncs again with nothing lost;
# runs the packaged backup, which writes the key file apart from the database copies.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "package-test: run as root (it installs into a chroot)" >&2; exit 1; }
if ! command -v debootstrap >/dev/null; then
    echo "package-test: installing debootstrap" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi
out=.build/package-test
Tools/package.sh "$out/1" >&2
REVISION=2 SKIP_BUILD=1 Tools/package.sh "$out/2" >&2
base=.build/package-root
if [ ! -f "$base/.complete" ]; then
    echo "package-test: making a minimal Debian in $base (once)" >&2
    rm -rf "$base"
    suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
    debootstrap --variant=minbase --include=adduser,sqlite3,libsqlite3-0 "$suite" "$base" http://deb.debian.org/debian >&2
    touch "$base/.complete"
fi
root=$(mktemp -d /tmp/fieldsync-root.XXXXXX)
hub_pid=""
cleanup() {
    [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null || true
    umount "$root/proc" 2>/dev/null || true
    rm -rf "$root"
}
trap cleanup EXIT
cp -a "$base/." "$root/"
mount -t proc proc "$root/proc"
cp "$out"/1/*.deb* "$out"/2/*.deb* "$root/tmp/"
laptop1=$(basename "$(ls "$out"/1/fieldsync_*.deb)"); hub1=$(basename "$(ls "$out"/1/fieldsync-hub_*.deb)")
laptop2=$(basename "$(ls "$out"/2/fieldsync_*.deb)"); hub2=$(basename "$(ls "$out"/2/fieldsync-hub_*.deb)")
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root FIELDSYNC_LANG=en "$@"; }
fail() { echo "package-test: FAILED: $*" >&2; exit 1; }

echo "package-test: installing revision 1 (apt fetches the libraries they depend on)" >&2
cp /etc/resolv.conf "$root/etc/resolv.conf"
in_root apt-get update -qq >&2
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "/tmp/$laptop1" "/tmp/$hub1" >&2
in_root getent passwd fieldsync >/dev/null || fail "no fieldsync system user"
[ "$(stat -c %a "$root/var/lib/fieldsync")" = 700 ] || fail "/var/lib/fieldsync is not 0700"
[ "$(in_root stat -c %U /var/lib/fieldsync)" = fieldsync ] || fail "/var/lib/fieldsync is not the fieldsync user's"
in_root fieldsync --version >/dev/null || fail "the laptop program does not start"

# The hub as its unit runs it: its user, its environment, its ExecStart (on a free port instead of 8080).
unit="$root/lib/systemd/system/fieldsync-hub.service"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit" | sed 's/--port [0-9]*/--port 0/')
environment=$(sed -n 's/^Environment=//p' "$unit")
start_hub() {  # [PORT]: the port it had (the laptop keeps the hub's address), else a free one
    chroot "$root" /usr/sbin/runuser -u fieldsync -- /usr/bin/env -i PATH=/usr/bin:/bin $environment HOME=/var/lib/fieldsync \
        sh -c "umask 0077; exec ${exec_start/--port 0/--port ${1:-0}}" > "$root/tmp/hub.log" 2>&1 &
    hub_pid=$!
    for _ in $(seq 100); do
        port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$root/tmp/hub.log" | tail -1)
        [ -n "$port" ] && return 0
        sleep 0.2
    done
    cat "$root/tmp/hub.log" >&2
    fail "the hub did not start"
}
as_hub() { chroot "$root" /usr/sbin/runuser -u fieldsync -- /usr/bin/env -i PATH=/usr/bin:/bin $environment HOME=/var/lib/fieldsync FIELDSYNC_LANG=en "$@"; }
start_hub
[ "$(stat -c %a "$root/var/lib/fieldsync/hub.sqlite")" = 600 ] || fail "the hub's store is not 0600"

code=$(as_hub fieldsync-server enrollment-code --team T-01 --commune 00004)
in_root fieldsync --store /root/lan.sqlite init --volunteer "Nguyễn Thị Lan" --team T-01 --commune 00004 >&2
in_root fieldsync --store /root/lan.sqlite enroll --server "http://127.0.0.1:$port" --code "$code" >&2
for name in "Đỗ Văn Nam" "Trần Thị Thu"; do
    in_root fieldsync --store /root/lan.sqlite log --service vneid-level2 --outcome done --name "$name" >/dev/null
done
in_root fieldsync --store /root/lan.sqlite sync >&2

echo "package-test: the laptop updates itself from the hub to revision 2" >&2
as_hub fieldsync-server release publish "/tmp/$laptop2" >&2
in_root fieldsync --store /root/lan.sqlite update >&2
installed=$(in_root dpkg-query -W -f '${Version}' fieldsync)
[ "${installed##*-}" = 2 ] || fail "fieldsync update did not install revision 2 (installed: $installed)"

echo "package-test: upgrading the hub to revision 2" >&2
in_root dpkg -i "/tmp/$hub2" >&2
kill "$hub_pid"; wait "$hub_pid" 2>/dev/null || true
start_hub "$port"
in_root fieldsync --store /root/lan.sqlite log --service bank-account --outcome done --name "Lê Văn Tư" >/dev/null
in_root fieldsync --store /root/lan.sqlite sync >&2
visits=$(as_hub fieldsync-server export --format csv | tail -n +2 | wc -l)
[ "$visits" = 3 ] || fail "the hub holds $visits visits after the upgrades, not 3"
listed=$(in_root fieldsync --store /root/lan.sqlite list)
for name in "Đỗ Văn Nam" "Trần Thị Thu" "Lê Văn Tư"; do
    echo "$listed" | grep -q "$name" || fail "the laptop lost $name's visit"
done

echo "package-test: the packaged backup" >&2
backup=$(sed -n 's/^ExecStart=//p' "$root/lib/systemd/system/fieldsync-hub-backup.service")
as_hub $backup >&2
ls "$root"/var/backups/fieldsync/hub-*.sqlite >/dev/null || fail "no database copy"
[ -f "$root/var/backups/fieldsync-keys/hub.keys" ] || fail "the key file was not copied apart"
ls "$root/var/backups/fieldsync" | grep -q keys && fail "a key file lies beside the database copies"
[ "$(stat -c %a "$root/var/backups/fieldsync-keys/hub.keys")" = 600 ] || fail "the key file's copy is not 0600"
echo "package-test: passed (revision 1 installed, laptop updated by the hub, hub upgraded, 3 visits kept, backup apart)"
