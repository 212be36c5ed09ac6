"""The incidents an investigator should find in the sample, each with the line that describes it.

A port scan, an SSH brute force (a few attempts get in), RDP attempts, one large transfer out, and a
database port reached from the internet.
"""

from __future__ import annotations

from flowkit.sample.estate import NIC, public_ipv4
from flowkit.sample.records import Recorder

LARGE_TRANSFER_BYTES = 734_003_200  # ~700 MiB in one 60 s record: well above a 600 MB threshold
_SCAN_PORTS = (21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 443, 445, 993, 995, 1433, 1521, 1723,
               2049, 2375, 3306, 3389, 5060, 5432, 5900, 5985, 6379, 8000, 8080, 8443, 8888, 9000, 9200,
               11211, 27017)


def stage_incidents(log: Recorder) -> list[str]:
    """Add every incident's records to ``log`` (in this order: it fixes the random draws); their lines."""
    return [_port_scan(log), _ssh_brute_force(log), _rdp_attempts(log), _large_transfer(log),
            _database_from_outside(log)]


def _port_scan(log: Recorder) -> str:
    web, r = NIC["web"], log.rng
    scanner = public_ipv4(r)
    ports = sorted(set(_SCAN_PORTS) | set(r.sample(range(1024, 32768), 30)))
    t0 = log.when(margin=900)
    rejected = 0
    for i, port in enumerate(ports):
        t = t0 + i * 4 // 3
        action = "ACCEPT" if port in (80, 443) else "REJECT"
        rejected += action == "REJECT"
        log.exchange(web, t, local=web.ipv4, remote=scanner, local_port=port,
                     remote_port=log.ephemeral(), proto=6, inbound=True, sent=60, received=60,
                     action=action)
    return (
        f"port scan: {scanner} -> {web.ipv4} ({web.eni_id}, {web.account} {web.region}) REJECTed on "
        f"{rejected} distinct TCP ports (80 and 443 answered), from {log.stamp(t0)} UTC"
    )


def _ssh_brute_force(log: Recorder) -> str:
    bastion, r = NIC["bastion"], log.rng
    attacker = public_ipv4(r)
    t0 = log.when(margin=3600)
    accepted = 0
    attempts = 140
    for i in range(attempts):
        t = t0 + i * 20 + r.randint(0, 9)
        if i % 20 == 7:
            accepted += 1
            log.exchange(bastion, t, local=bastion.ipv4, remote=attacker, local_port=22,
                         remote_port=log.ephemeral(), proto=6, inbound=True,
                         sent=r.randint(2_500, 4_000), received=r.randint(1_800, 3_000))
        else:
            log.exchange(bastion, t, local=bastion.ipv4, remote=attacker, local_port=22,
                         remote_port=log.ephemeral(), proto=6, inbound=True, sent=0, received=0,
                         action="REJECT")
    return (
        f"SSH brute force: {attacker} -> {bastion.ipv4}:22 ({bastion.eni_id}, {bastion.account} "
        f"{bastion.region}) {attempts - accepted} REJECTed and {accepted} ACCEPTed flows, from "
        f"{log.stamp(t0)} UTC"
    )


def _rdp_attempts(log: Recorder) -> str:
    win, r = NIC["win"], log.rng
    sources = [public_ipv4(r) for _ in range(3)]
    t0 = log.when(margin=3600)
    counts = {s: 0 for s in sources}
    for i in range(48):
        source = sources[0] if i % 3 else r.choice(sources[1:])
        counts[source] += 1
        log.exchange(win, t0 + i * 60 + r.randint(0, 50), local=win.ipv4, remote=source, local_port=3389,
                     remote_port=log.ephemeral(), proto=6, inbound=True, sent=0, received=0,
                     action="REJECT")
    detail = ", ".join(f"{s} ({n})" for s, n in counts.items())
    return (
        f"RDP attempts: {detail} -> {win.ipv4}:3389 ({win.eni_id}, {win.account} {win.region}) "
        f"all REJECTed, from {log.stamp(t0)} UTC"
    )


def _large_transfer(log: Recorder) -> str:
    mysql, r = NIC["mysql"], log.rng
    dest = public_ipv4(r)
    t = log.when()
    log.exchange(mysql, t, local=mysql.ipv4, remote=dest, local_port=log.ephemeral(), remote_port=443,
                 proto=6, inbound=False, sent=LARGE_TRANSFER_BYTES + r.randint(0, 9_999),
                 received=r.randint(2_000_000, 4_000_000), long_lived=True)
    return (
        f"large transfer: {mysql.ipv4} -> {dest}:443 ({mysql.eni_id}, {mysql.account} {mysql.region}) "
        f"sent {LARGE_TRANSFER_BYTES // 1_000_000}+ MB in one flow at {log.stamp(t)} UTC"
    )


def _database_from_outside(log: Recorder) -> str:
    mysql, r = NIC["mysql"], log.rng
    outsider = public_ipv4(r)
    t0 = log.when(margin=1800)
    for i in range(6):
        log.exchange(mysql, t0 + i * 240, local=mysql.ipv4, remote=outsider, local_port=3306,
                     remote_port=log.ephemeral(), proto=6, inbound=True,
                     sent=r.randint(20_000, 300_000), received=r.randint(500, 3_000))
    return (
        f"database port from outside: {outsider} -> {mysql.ipv4}:3306 ({mysql.eni_id}, {mysql.account} "
        f"{mysql.region}) 6 ACCEPTed flows, from {log.stamp(t0)} UTC"
    )
