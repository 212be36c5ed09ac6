"""How one flow becomes flow log records: the records of an interface, both directions, NODATA/SKIPDATA.

:class:`Recorder` holds the records built so far (every catalogue field, as strings), the random
source and the window; the traffic and incident modules only say which flows happen. Every random
draw goes through ``Recorder.rng`` in a fixed order, so the same seed gives the same records.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from flowkit.sample.estate import NA, Interface, is_private, public_ipv4, public_ipv6

AGGREGATION_SECONDS = 60
# tcp-flags of a whole short flow in one interval: client SYN+FIN, server SYN-ACK+FIN; a lone SYN.
FLAGS_CLIENT, FLAGS_SERVER, FLAGS_SYN = 3, 19, 2

Record = dict[str, str]


class Recorder:
    """The records being built, the random source, the window ``[since, until)`` in epoch seconds and
    the public peers the estate talks to (drawn first, so traffic and incidents share them)."""

    def __init__(self, rng: random.Random, since: int, until: int) -> None:
        self.rng = rng
        self.since = since
        self.until = until
        self.records: list[Record] = []
        self.clients4 = [public_ipv4(rng) for _ in range(60)]
        self.clients6 = [public_ipv6(rng) for _ in range(20)]
        self.admin = public_ipv4(rng)

    # numbers and times
    def ephemeral(self) -> int:
        return self.rng.randint(32768, 65535)

    def when(self, margin: int = 120) -> int:
        """A start second in the window, busier by day than by night."""
        t = self.rng.randint(self.since, self.until - margin)
        if (t // 3600) % 24 < 7 and self.rng.random() < 0.5:
            t = self.rng.randint(self.since, self.until - margin)
        return t

    @staticmethod
    def stamp(t: int) -> str:
        return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M")

    # records
    def record(
        self, nic: Interface, start: int, end: int, *, src: str, dst: str, sport: int, dport: int,
        proto: int, packets: int, nbytes: int, action: str = "ACCEPT", egress: bool, flags: int = 0,
        pkt_src: str | None = None, pkt_dst: str | None = None, path: int | None = None,
        src_service: str = NA, dst_service: str = NA,
    ) -> None:
        """One OK record as ``nic`` logs it."""
        if egress and path is None:
            path = 1 if is_private(dst) else 8
        rec = self._base(nic, start, end, "OK")
        rec.update({
            "srcaddr": src, "dstaddr": dst, "srcport": str(sport), "dstport": str(dport),
            "protocol": str(proto), "packets": str(packets), "bytes": str(nbytes), "action": action,
            "tcp-flags": str(flags), "type": "IPv6" if ":" in src else "IPv4",
            "pkt-srcaddr": pkt_src or src, "pkt-dstaddr": pkt_dst or dst,
            "pkt-src-aws-service": src_service, "pkt-dst-aws-service": dst_service,
            "flow-direction": "egress" if egress else "ingress",
            "traffic-path": str(path) if egress else NA,
        })
        self.records.append(rec)

    def status(self, nic: Interface, start: int, status: str) -> None:
        """A NODATA or SKIPDATA record: no addresses, ports, counts or action."""
        self.records.append(self._base(nic, start, start + AGGREGATION_SECONDS - 1, status))

    @staticmethod
    def _base(nic: Interface, start: int, end: int, status: str) -> Record:
        return {
            "account-id": nic.account, "interface-id": nic.eni_id, "start": str(start), "end": str(end),
            "log-status": status, "vpc-id": nic.vpc_id, "subnet-id": nic.subnet_id,
            "instance-id": nic.instance_id, "region": nic.region, "az-id": nic.az_id,
        }

    def exchange(
        self, nic: Interface, t: int, *, local: str, remote: str, local_port: int, remote_port: int,
        proto: int, inbound: bool, sent: int, received: int, action: str = "ACCEPT", long_lived: bool = False,
        out_path: int | None = None, out_dst_service: str = NA, in_src_service: str = NA,
    ) -> None:
        """Both directions of one flow as seen on ``nic``; a rejected flow leaves only its first record."""
        r = self.rng
        tcp = proto == 6
        if action == "REJECT":
            packets = r.randint(1, 3)
            nbytes = packets * (60 if ":" in local else 40)
            end = t + (packets - 1) * 3
            flags = FLAGS_SYN if tcp else 0
            if inbound:
                self.record(nic, t, end, src=remote, dst=local, sport=remote_port, dport=local_port,
                            proto=proto, packets=packets, nbytes=nbytes, action=action, egress=False,
                            flags=flags)
            else:
                self.record(nic, t, end, src=local, dst=remote, sport=local_port, dport=remote_port,
                            proto=proto, packets=packets, nbytes=nbytes, action=action, egress=True,
                            flags=flags, path=out_path)
            return
        end = t + r.randint(1, AGGREGATION_SECONDS - 1)
        size = 1400 if long_lived else r.randint(120, 900)
        out_flags = (FLAGS_SERVER if inbound else FLAGS_CLIENT) if tcp and not long_lived else 0
        in_flags = (FLAGS_CLIENT if inbound else FLAGS_SERVER) if tcp and not long_lived else 0
        t_in, t_out = (t, t + 1) if inbound else (t + 1, t)
        self.record(nic, t_in, end, src=remote, dst=local, sport=remote_port, dport=local_port, proto=proto,
                    packets=max(1, received // size), nbytes=received, egress=False, flags=in_flags,
                    src_service=in_src_service)
        self.record(nic, t_out, end, src=local, dst=remote, sport=local_port, dport=remote_port, proto=proto,
                    packets=max(1, sent // size), nbytes=sent, egress=True, flags=out_flags, path=out_path,
                    dst_service=out_dst_service)
