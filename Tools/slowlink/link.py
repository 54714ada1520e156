#!/usr/bin/env python3
"""A packet-level link emulator for Tools/slowlink/bench.sh, for kernels without sch_netem.

Two TUN devices (IP packets, no header) are attached here, then moved by the caller into the hub's
and the laptop's network namespaces. Every packet crossing is delayed (one-way latency), serialised
at the direction's bit rate behind the packets before it (a queue of bounded size: tail drop beyond),
and lost with the given probability: what `tc qdisc ... netem delay D rate R loss L limit N` does.
Standard library only. Stops on SIGTERM.
"""
import argparse
import fcntl
import heapq
import os
import random
import select
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


def attach(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    os.set_blocking(fd, False)
    return fd


class Direction:
    def __init__(self, rate_bps, delay_s, loss, queue_bytes):
        self.rate = rate_bps
        self.delay = delay_s
        self.loss = loss
        self.queue = queue_bytes
        self.free_at = 0.0  # when the "wire" finishes sending what is queued
        self.sent = self.dropped = self.lost = 0

    def schedule(self, now, size, rng):
        """When a packet of `size` bytes arrives at the far end, or None when it is dropped or lost."""
        backlog = max(0.0, self.free_at - now) * self.rate / 8
        if backlog + size > self.queue:
            self.dropped += 1
            return None
        self.free_at = max(now, self.free_at) + size * 8 / self.rate
        if rng.random() < self.loss:
            self.lost += 1
            return None
        self.sent += 1
        return self.free_at + self.delay


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hub", required=True, help="TUN device on the hub's side")
    parser.add_argument("--laptop", required=True, help="TUN device on the laptop's side")
    parser.add_argument("--down", type=float, required=True, help="hub to laptop, bits per second")
    parser.add_argument("--up", type=float, required=True, help="laptop to hub, bits per second")
    parser.add_argument("--rtt", type=float, required=True, help="round trip time, milliseconds")
    parser.add_argument("--loss", type=float, default=0.0, help="packet loss each way, percent")
    parser.add_argument("--queue", type=int, default=64 * 1024, help="queue per direction, bytes")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--ready", help="file written once both devices are attached")
    args = parser.parse_args()

    hub, laptop = attach(args.hub), attach(args.laptop)
    one_way = args.rtt / 2000
    down = Direction(args.down, one_way, args.loss / 100, args.queue)
    up = Direction(args.up, one_way, args.loss / 100, args.queue)
    rng = random.Random(args.seed)
    pending = []  # (release time, order, fd, packet)
    order = 0
    if args.ready:
        with open(args.ready, "w") as ready:
            ready.write(str(os.getpid()))
    running = True

    def stop(*_):
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while running:
        now = time.monotonic()
        while pending and pending[0][0] <= now:
            _, _, fd, packet = heapq.heappop(pending)
            try:
                os.write(fd, packet)
            except OSError:
                pass  # a device going down drops the packet, as a cut link would
        timeout = max(0.0, pending[0][0] - now) if pending else 0.5
        try:
            readable, _, _ = select.select([hub, laptop], [], [], timeout)
        except InterruptedError:
            continue
        now = time.monotonic()
        for fd in readable:
            while True:
                try:
                    packet = os.read(fd, 65536)
                except BlockingIOError:
                    break
                except OSError:
                    break
                direction, out = (down, laptop) if fd == hub else (up, hub)
                at = direction.schedule(now, len(packet), rng)
                if at is not None:
                    order += 1
                    heapq.heappush(pending, (at, order, out, packet))
    print(f"link: down {down.sent} packets ({down.lost} lost, {down.dropped} dropped), "
          f"up {up.sent} ({up.lost} lost, {up.dropped} dropped)", file=sys.stderr)


if __name__ == "__main__":
    main()
