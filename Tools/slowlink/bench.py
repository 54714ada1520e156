#!/usr/bin/env python3
"""Issue 17's slow-link benchmark: a hub and a laptop in two network namespaces joined by a link shaped
like rural mobile data; wall time and bytes on the wire (IP packets, both ways) of real `fieldsync sync`
runs, for a day's 60 visits, for 1,000 visits, and for 1,000 visits whose link is cut right after the hub acknowledged their first batch
and then resumed, with today's client and with a client of protocol 3 (`FIELDSYNC_WIRE=plain`: plain
JSON both ways, a separate pull).

The link is `tc netem` on a veth pair when the kernel has sch_netem, else Tools/slowlink/link.py
(the same delay, rate, loss and queue, in user space, over TUN devices). Needs root. Run it through
Tools/slowlink/bench.sh, which builds the release binaries first.
"""
import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

PROFILES = {
    # 1 Mbit/s down, 384 kbit/s up, 300 ms round trip, 1 % loss (the "3g").
    "3g": dict(down=1_000_000, up=384_000, rtt=300, loss=1.0),
    # EDGE / a weak 2G cell: 236 kbit/s down, 118 kbit/s up, 600 ms round trip, 2 % loss.
    "edge": dict(down=236_000, up=118_000, rtt=600, loss=2.0),
}
HUB_NS, LAP_NS = "fs-bench-hub", "fs-bench-lap"
HUB_IP, LAP_IP, PORT = "10.77.0.1", "10.77.0.2", 8080
HERE = os.path.dirname(os.path.abspath(__file__))


def run(*cmd, check=True, env=None):
    return subprocess.run(cmd, check=check, capture_output=True, text=True, env=env)


def netem_available():
    run("ip", "netns", "add", "fs-bench-probe")
    try:
        return run("tc", "-n", "fs-bench-probe", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms", check=False).returncode == 0
    finally:
        run("ip", "netns", "del", "fs-bench-probe", check=False)


class Link:
    """The two namespaces and the shaped link between them."""

    def __init__(self, profile, work):
        self.profile = PROFILES[profile]
        self.emulator = None
        for ns in (HUB_NS, LAP_NS):
            run("ip", "netns", "del", ns, check=False)
            run("ip", "netns", "add", ns)
            run("ip", "-n", ns, "link", "set", "lo", "up")
        p = self.profile
        if netem_available():
            self.kind = "tc netem on a veth pair"
            self.hub_dev, self.lap_dev = "fsb-h", "fsb-l"
            run("ip", "link", "add", self.hub_dev, "netns", HUB_NS, "type", "veth", "peer", "name", self.lap_dev, "netns", LAP_NS)
            for ns, dev, rate in ((HUB_NS, self.hub_dev, p["down"]), (LAP_NS, self.lap_dev, p["up"])):
                run("tc", "-n", ns, "qdisc", "add", "dev", dev, "root", "netem", "delay", f"{p['rtt'] / 2}ms",
                    "rate", f"{int(rate)}bit", "loss", f"{p['loss']}%", "limit", "100")
        else:
            self.kind = "Tools/slowlink/link.py over TUN (this kernel has no sch_netem)"
            self.hub_dev, self.lap_dev = "fsb-h", "fsb-l"
            for dev in (self.hub_dev, self.lap_dev):
                run("ip", "tuntap", "del", "dev", dev, "mode", "tun", check=False)
                run("ip", "tuntap", "add", "dev", dev, "mode", "tun")
            ready = os.path.join(work, "link.ready")
            if os.path.exists(ready):
                os.remove(ready)  # left by the previous profile's emulator
            self.emulator = subprocess.Popen(
                [sys.executable, os.path.join(HERE, "link.py"), "--hub", self.hub_dev, "--laptop", self.lap_dev,
                 "--down", str(p["down"]), "--up", str(p["up"]), "--rtt", str(p["rtt"]), "--loss", str(p["loss"]),
                 "--queue", str(100 * 1500), "--ready", ready], stderr=open(os.path.join(work, "link.log"), "w"))
            deadline = time.time() + 5
            while not os.path.exists(ready):
                if time.time() > deadline:
                    raise SystemExit("slowlink: the link emulator did not start (see link.log)")
                time.sleep(0.05)
            run("ip", "link", "set", self.hub_dev, "netns", HUB_NS)
            run("ip", "link", "set", self.lap_dev, "netns", LAP_NS)
        for ns, dev, me, peer in ((HUB_NS, self.hub_dev, HUB_IP, LAP_IP), (LAP_NS, self.lap_dev, LAP_IP, HUB_IP)):
            run("ip", "-n", ns, "addr", "add", me, "peer", peer, "dev", dev)
            run("ip", "-n", ns, "link", "set", dev, "up")

    def counters(self):
        """Bytes the laptop's side has sent and received (IP packets: headers, acks and resends included)."""
        stats = json.loads(run("ip", "-n", LAP_NS, "-j", "-s", "link", "show", "dev", self.lap_dev).stdout)[0]["stats64"]
        return stats["tx"]["bytes"], stats["rx"]["bytes"]

    def set_up(self, up):
        run("ip", "-n", LAP_NS, "link", "set", self.lap_dev, "up" if up else "down")
        if up:
            run("ip", "-n", LAP_NS, "addr", "replace", LAP_IP, "peer", HUB_IP, "dev", self.lap_dev)

    def close(self):
        if self.emulator:
            self.emulator.send_signal(signal.SIGTERM)
            self.emulator.wait(timeout=5)
        for ns in (HUB_NS, LAP_NS):
            run("ip", "netns", "del", ns, check=False)
        for dev in (self.hub_dev, self.lap_dev):
            run("ip", "tuntap", "del", "dev", dev, "mode", "tun", check=False)


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Thu", "Xuân", "Kim", "Bảo"]
GIVEN = ["An", "Bình", "Cúc", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Linh", "Mai", "Nam", "Phúc", "Quỳnh", "Sơn", "Tâm", "Thảo"]
NOTES = ["gọi lại chiều thứ Hai", "chưa nhận được mã OTP", "điện thoại không có mạng", "người nhà hỗ trợ",
         "hẹn lại sau khi đi làm về", "đã cài ứng dụng, chưa kích hoạt", "cần mang CCCD gắn chip", "nhà sau chợ"]
SERVICES = ["vneid-level1", "vneid-level2", "bank-account", "e-wallet", "public-service", "app-install", "digital-skills"]


class Laptop:
    def __init__(self, bin, work, name, commune, code, plain):
        self.bin, self.store, self.plain = bin, os.path.join(work, f"{name}.sqlite"), plain
        self.random = random.Random(name)
        run(f"{bin}/fieldsync", "--store", self.store, "init", "--volunteer", "Nguyễn Thị Lan", "--team", "T-01",
            "--commune", commune, "--no-passphrase")
        self.net("enroll", "--server", f"http://{HUB_IP}:{PORT}", "--code", code, "--insecure-http")

    def net(self, *args, wait=True):
        env = dict(os.environ, FIELDSYNC_WIRE="plain" if self.plain else "compact")
        cmd = ["ip", "netns", "exec", LAP_NS, f"{self.bin}/fieldsync", "--store", self.store, *args]
        if not wait:
            return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        result = run(*cmd, env=env, check=False)
        if result.returncode != 0:
            raise SystemExit(f"slowlink: {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout

    def log(self, count):
        r = self.random
        for _ in range(count):
            failed = r.random() < 1 / 6
            args = ["log", "--service", r.choice(SERVICES), "--outcome", "failed" if failed else "done",
                    "--name", f"{r.choice(FAMILY)} {r.choice(MIDDLE)} {r.choice(GIVEN)}"]
            if failed:
                args += ["--reason", "otp-not-received"]
            if r.random() < 0.6:
                args += ["--phone", "09" + "".join(r.choice("0123456789") for _ in range(8))]
            if r.random() < 0.3:
                args += ["--note", r.choice(NOTES)]
            if r.random() < 0.5:
                # Province 001, a man or woman born 1940-1999 (century digit 0 or 1), six random digits.
                args += ["--cccd", "001" + r.choice("01") + f"{r.randrange(40, 100):02d}" + "".join(r.choice("0123456789") for _ in range(6))]
            run(f"{self.bin}/fieldsync", "--store", self.store, *args)

    def unsynced(self):
        return json.loads(run(f"{self.bin}/fieldsync", "--store", self.store, "status", "--json").stdout).get("unsynced", 0)


def stop(process, sig, timeout):
    """Asks a process to stop, then kills it if it has not within `timeout` seconds."""
    process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def measured(link, action):
    tx0, rx0 = link.counters()
    start = time.monotonic()
    result = action()
    seconds = time.monotonic() - start
    tx1, rx1 = link.counters()
    return dict(seconds=seconds, up=tx1 - tx0, down=rx1 - rx0, result=result)


def bench(bin, profile, work, communes):
    link = Link(profile, work)
    hub = None
    rows = []
    try:
        db = os.path.join(work, f"hub-{profile}.sqlite")
        hub = subprocess.Popen(["ip", "netns", "exec", HUB_NS, f"{bin}/fieldsync-server", "--db", db, "serve",
                                "--host", HUB_IP, "--port", str(PORT), "--pseudonyms-per-day", "100000"],
                               stdout=open(os.path.join(work, f"hub-{profile}.log"), "w"), stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while run("ip", "netns", "exec", HUB_NS, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                  f"http://{HUB_IP}:{PORT}/v1/health", check=False).stdout != "200":
            if time.time() > deadline:
                raise SystemExit("slowlink: the hub did not start")
            time.sleep(0.2)
        for plain in (True, False):
            commune = communes.pop()
            code = run(f"{bin}/fieldsync-server", "--db", db, "enrollment-code", "--team", "T-01", "--commune", commune).stdout.strip().split()[-1]
            laptop = Laptop(bin, work, f"{profile}-{'plain' if plain else 'compact'}", commune, code, plain)
            laptop.net("sync")  # enrolment done; the hub says what it takes
            row = dict(profile=profile, client="protocol 3 (plain)" if plain else "this release")
            laptop.log(60)
            row["60"] = measured(link, lambda: json.loads(laptop.net("sync", "--json")))
            laptop.log(1000)
            row["1000"] = measured(link, lambda: json.loads(laptop.net("sync", "--json")))
            # Cut the link half way through a sync of 1,000 visits, give up (as a volunteer would), then resume.
            laptop.log(1000)
            # The link goes down right after the hub acknowledged the first batch (or half way, if it never does).
            tx0, rx0 = link.counters()
            started = time.monotonic()
            sync = laptop.net("sync", "--json", wait=False)
            while laptop.unsynced() >= 1000 and time.monotonic() - started < row["1000"]["seconds"] * 2:
                time.sleep(0.1)
            cut_after = time.monotonic() - started
            link.set_up(False)
            time.sleep(1)
            stop(sync, signal.SIGINT, 5)
            link.set_up(True)
            tx1, rx1 = link.counters()
            waiting = laptop.unsynced()
            resumed = measured(link, lambda: json.loads(laptop.net("sync", "--json")))
            resumed["before_cut"] = dict(up=tx1 - tx0, down=rx1 - rx0, seconds=cut_after + 1)
            resumed["waiting"] = waiting
            row["resumed"] = resumed
            rows.append(row)
    finally:
        if hub:
            stop(hub, signal.SIGTERM, 10)
        link.close()
    return link.kind, rows


def kib(n):
    return f"{n / 1024:,.0f} KiB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=".build/release")
    parser.add_argument("--profile", choices=[*PROFILES, "all"], default="all")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("slowlink: needs root (it creates network namespaces)")
    bin = os.path.abspath(args.bin)
    communes = ["00004", "00008", "00025", "00070"]
    results = []
    with tempfile.TemporaryDirectory(prefix="fieldsync-slowlink-") as work:
        for profile in (PROFILES if args.profile == "all" else [args.profile]):
            kind, rows = bench(bin, profile, work, communes)
            results += rows
    print(f"link: {kind}")
    print("| profile | client | 60 visits | 1,000 visits | cut after the first acknowledgement, then resumed |")
    print("|---|---|---|---|---|")
    for r in results:
        cells = []
        for key in ("60", "1000"):
            m = r[key]
            cells.append(f"{m['seconds']:.1f} s, ↑{kib(m['up'])} ↓{kib(m['down'])}")
        m = r["resumed"]
        sent = m["result"].get("pushed", 0)
        cells.append(f"cut at {m['before_cut']['seconds'] - 1:.1f} s; resume {m['seconds']:.1f} s, ↑{kib(m['up'])} ↓{kib(m['down'])}; {m['waiting']} visits were waiting, "
                     f"{sent} sent again" + ("" if sent <= m["waiting"] else f" ({sent - m['waiting']} already acknowledged!)"))
        p = PROFILES[r["profile"]]
        print(f"| {r['profile']} ({p['down'] // 1000} k↓/{p['up'] // 1000} k↑, {p['rtt']} ms, {p['loss']} %) | {r['client']} | "
              + " | ".join(cells) + " |")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=2)


if __name__ == "__main__":
    main()
