#!/usr/bin/env bash
# Issue 34: the release artefacts from a clean checkout, in one command. Builds the three programs with the Swift runtime
# linked in (release, --static-swift-stdlib: no Swift toolchain on the machines that run them; the system libraries
# they still load become package dependencies, found with ldd and dpkg -S), then two Debian packages:
#   fieldsync      the laptop: fieldsync, fieldsync-network, bash completion, the release key's public half (pinned
#                  by `fieldsync update`)
#   fieldsync-hub  the server: fieldsync-server, its systemd unit, the backup and compaction timers, a `fieldsync`
#                  system user and /var/lib/fieldsync 0700 (postinst)
# each signed by the release key (<file>.release.json, `fieldsync-server release sign`), and SHA256SUMS.
# Usage: Tools/package.sh [OUT]   (default .build/packages)
# Environment: FIELDSYNC_RELEASE_KEY  the release key's file (made by `fieldsync-server release keygen`); without it a
#                                     local test key is made in .build/release-key/ and the packages say so
#              REVISION               the packaging revision (default 1): 0.4.0-REVISION
#              SKIP_BUILD=1           reuse the binaries already in .build-static/release
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.build/packages}
revision=${REVISION:-1}
release=$(sed -n 's/.*public static let current = "\([0-9.]*\)".*/\1/p' Sources/SyncProtocol/FieldSyncVersion.swift)
[ -n "$release" ] || { echo "package: cannot read the release from Sources/SyncProtocol/FieldSyncVersion.swift" >&2; exit 1; }
version="$release-$revision"
Tools/setup.sh
# The static URLSession (fieldsync-network's HTTP client) links the system's libcurl (libcurl4 at run time).
if ! pkg-config --exists libcurl 2>/dev/null; then
    echo "package: installing libcurl4-openssl-dev (the static URLSession links libcurl)" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libcurl4-openssl-dev >/dev/null
fi
command -v dpkg-deb >/dev/null || { echo "package: dpkg-deb is missing (apt-get install dpkg)" >&2; exit 1; }
arch=$(dpkg --print-architecture)
bin=.build-static/release
if [ -z "${SKIP_BUILD:-}" ]; then
    for product in fieldsync fieldsync-network fieldsync-server; do
        echo "package: building $product (release, Swift runtime linked in)" >&2
        swift build -c release --static-swift-stdlib --product "$product" --scratch-path .build-static >&2
    done
fi
for program in fieldsync fieldsync-network fieldsync-server; do
    [ -x "$bin/$program" ] || { echo "package: $bin/$program is missing (run without SKIP_BUILD)" >&2; exit 1; }
    # The binary's version, the package's release and the protocol's are one number.
    [ "$("$bin/$program" --version)" = "$release" ] || { echo "package: $program --version is not $release" >&2; exit 1; }
done
# The laptop's everyday tool links FoundationEssentials only: Foundation proper brings ICU (30 MB of data, and a slower
# start; README, "Start-up"). One reference to it in any module fieldsync links pulls it all in.
if grep -q icudt "$bin/fieldsync"; then
    echo "package: fieldsync links Foundation's ICU; a module it links imports Foundation (StartUpTests names it)" >&2
    exit 1
fi

key=${FIELDSYNC_RELEASE_KEY:-}
if [ -z "$key" ]; then
    key=.build/release-key/release.key
    if [ ! -f "$key" ]; then
        mkdir -p "$(dirname "$key")" && chmod 0700 "$(dirname "$key")"
        echo "package: no FIELDSYNC_RELEASE_KEY: a local test key is made in $key (not for packages given to laptops)" >&2
        "$bin/fieldsync-server" release keygen --key "$key" >/dev/null
    fi
fi
public=$("$bin/fieldsync-server" release public-key --key "$key")

# The Debian packages of the libraries the binaries load themselves (their NEEDED entries: libc6, libsqlite3-0, zlib1g,
# libstdc++6, libcurl4 for fieldsync-network, libxml2 for the hub's spreadsheet reader), found where ldd finds them.
depends() {
    for binary; do
        needed=$(readelf -d "$binary" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p')
        ldd "$binary" | awk '/=> \// {print $1, $3}' | while read -r soname library; do
            echo "$needed" | grep -qx "$soname" || continue
            for candidate in "$library" "$(realpath "$library")" "${library#/usr}" "/usr$library"; do
                owner=$(dpkg -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1) && [ -n "$owner" ] && { echo "$owner"; break; }
            done
        done
    done | sort -u | paste -sd, | sed 's/,/, /g'
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
rm -f "$out"/fieldsync*_"$version"_"$arch".deb*

# fieldsync: the laptop.
laptop="$work/fieldsync"
install -d "$laptop/DEBIAN" "$laptop/usr/bin" "$laptop/usr/lib/fieldsync" "$laptop/usr/share/bash-completion/completions" \
    "$laptop/usr/share/fieldsync" "$laptop/usr/share/doc/fieldsync"
# The programs live in /usr/lib/fieldsync (their data is compiled in: Tools/embed-resources.py), linked from /usr/bin;
# without their symbols (a third of their size).
# Each package has its own folder (fieldsync, fieldsync-hub), so both install side by side.
install_programs() {
    local root=$1 folder=$2; shift 2
    install -d "$root/usr/lib/$folder"
    for program; do
        install -s -m 0755 "$bin/$program" "$root/usr/lib/$folder/"
        ln -s "../lib/$folder/$program" "$root/usr/bin/$program"
    done
    # The administrative units' licence travels with the programs that hold them.
    install -d "$root/usr/share/doc/$folder"
    install -m 0644 Sources/FieldModel/Resources/LICENSE-dvhcvn-20250701.txt "$root/usr/share/doc/$folder/"
}
install_programs "$laptop" fieldsync fieldsync fieldsync-network
"$bin/fieldsync" --generate-completion-script bash > "$laptop/usr/share/bash-completion/completions/fieldsync"
echo "$public" > "$laptop/usr/share/fieldsync/release-key.pub"
install -m 0644 README.md "$laptop/usr/share/doc/fieldsync/README.md"
cat > "$laptop/DEBIAN/control" <<CONTROL
Package: fieldsync
Version: $version
Architecture: $arch
Maintainer: FieldSync <fieldsync@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$laptop" | cut -f1)
Depends: $(depends "$bin/fieldsync" "$bin/fieldsync-network")
Section: utils
Priority: optional
Description: FieldSync for the volunteers of community digital-technology teams
 Logs visits offline on the laptop (e-ID activation, payment accounts, public
 services), syncs them with the province's hub, and serves the volunteer's app
 in the browser (fieldsync app). fieldsync update installs new releases the hub
 offers, signed by the release key whose public half this package installs.
CONTROL

# fieldsync-hub: the server.
server="$work/fieldsync-hub"
install -d "$server/DEBIAN" "$server/usr/bin" "$server/lib/systemd/system" "$server/usr/share/doc/fieldsync-hub"
install_programs "$server" fieldsync-hub fieldsync-server
for unit in fieldsync-hub.service fieldsync-hub-compact.service fieldsync-hub-compact.timer; do
    sed 's|/usr/local/bin/|/usr/bin/|g' "Tools/ops/$unit" > "$server/lib/systemd/system/$unit"
done
install -m 0644 Tools/package/fieldsync-hub-backup.service Tools/package/fieldsync-hub-backup.timer "$server/lib/systemd/system/"
install -m 0755 Tools/ops/backup-hub.sh "$server/usr/lib/fieldsync-hub/backup-hub.sh"
install -m 0755 Tools/package/hub.postinst "$server/DEBIAN/postinst"
install -m 0755 Tools/package/hub.prerm "$server/DEBIAN/prerm"
install -m 0644 README.md "$server/usr/share/doc/fieldsync-hub/README.md"
cat > "$server/DEBIAN/control" <<CONTROL
Package: fieldsync-hub
Version: $version
Architecture: $arch
Maintainer: FieldSync <fieldsync@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$server" | cut -f1)
Depends: $(depends "$bin/fieldsync-server"), adduser, sqlite3
Section: net
Priority: optional
Description: FieldSync hub: the province's sync server and coordinators' console
 Merges what every volunteer's laptop logged, serves the coordinators' console
 and reports, and offers signed laptop releases to fieldsync update. Runs as the
 fieldsync system user from /var/lib/fieldsync, with nightly backups (keys kept
 apart from the database copies) and weekly compaction.
CONTROL

for root in "$laptop" "$server"; do
    name=$(sed -n 's/^Package: //p' "$root/DEBIAN/control")
    file="$out/${name}_${version}_${arch}.deb"
    dpkg-deb --root-owner-group -Zxz --build "$root" "$file" >/dev/null
    "$bin/fieldsync-server" release sign "$file" --key "$key" >/dev/null
done
(cd "$out" && sha256sum fieldsync*_"$version"_"$arch".deb > SHA256SUMS)
for file in "$out"/fieldsync*_"$version"_"$arch".deb; do
    printf '%s\t%s bytes (installed: %s KiB)\n' "$file" "$(stat -c %s "$file")" "$(dpkg-deb -f "$file" Installed-Size)"
done
echo "release key: $public"
