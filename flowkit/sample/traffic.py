"""Ordinary background traffic of the sample estate: web, SSH, RDP, databases, DNS, NTP, S3 through a
gateway endpoint, a NAT gateway, a load balancer, IPv6 global and ULA addresses, ICMP/ICMPv6 and GRE;
NODATA and SKIPDATA intervals; and one flow across every hour boundary (filed under its END time).
"""

from __future__ import annotations

from flowkit.sample.estate import (
    APP_TARGET,
    GRE_PEER,
    NIC,
    PUBLIC_RESOLVERS,
    S3_PREFIX,
    ULA_PEERS,
    public_ipv4,
)
from flowkit.sample.records import AGGREGATION_SECONDS, FLAGS_CLIENT, FLAGS_SERVER, Recorder


def background(log: Recorder, flows: int) -> None:
    """``flows`` ordinary flows, each a weighted random pick of the profiles below, then quiet intervals."""
    profiles = [
        (_web_https, 30), (_web_http, 6), (_web_dns, 6), (_web_s3, 5),
        (_internet_noise, 8), (_icmp_ping, 3), (_admin_ssh, 3), (_db_queries, 10),
        (_nat_updates, 6), (_win_traffic, 4), (_app6_ula, 6), (_app6_global, 3),
        (_gre, 2), (_lb_traffic, 15), (_mysql_internal, 8), (_ntp, 2),
    ]
    funcs = [f for f, _ in profiles]
    weights = [w for _, w in profiles]
    for _ in range(flows):
        log.rng.choices(funcs, weights)[0](log)
    _quiet_intervals(log)


def _web_https(log: Recorder) -> None:
    web, r = NIC["web"], log.rng
    if r.random() < 0.3:
        remote, local = r.choice(log.clients6), web.ipv6
    else:
        remote, local = r.choice(log.clients4), web.ipv4
    log.exchange(web, log.when(), local=local, remote=remote, local_port=443,
                 remote_port=log.ephemeral(), proto=6, inbound=True,
                 sent=r.randint(4_000, 400_000), received=r.randint(600, 9_000))


def _web_http(log: Recorder) -> None:
    web, r = NIC["web"], log.rng
    log.exchange(web, log.when(), local=web.ipv4, remote=r.choice(log.clients4), local_port=80,
                 remote_port=log.ephemeral(), proto=6, inbound=True, sent=r.randint(300, 900),
                 received=r.randint(300, 700))


def _web_dns(log: Recorder) -> None:
    web, r = NIC["web"], log.rng
    log.exchange(web, log.when(), local=web.ipv4, remote=r.choice(PUBLIC_RESOLVERS),
                 local_port=log.ephemeral(), remote_port=53, proto=17, inbound=False,
                 sent=r.randint(60, 90), received=r.randint(90, 300))


def _web_s3(log: Recorder) -> None:
    web, r = NIC["web"], log.rng
    s3 = f"{S3_PREFIX}{r.randint(0, 255)}.{r.randint(1, 254)}"
    log.exchange(web, log.when(), local=web.ipv4, remote=s3, local_port=log.ephemeral(),
                 remote_port=443, proto=6, inbound=False, sent=r.randint(20_000, 5_000_000),
                 received=r.randint(2_000, 20_000), out_path=7, out_dst_service="S3",
                 in_src_service="S3")


def _ntp(log: Recorder) -> None:
    nic = NIC[log.rng.choice(["web", "bastion", "win"])]
    log.exchange(nic, log.when(), local=nic.ipv4, remote=log.rng.choice(log.clients4[:3]),
                 local_port=123, remote_port=123, proto=17, inbound=False, sent=76, received=76)


def _internet_noise(log: Recorder) -> None:
    r = log.rng
    nic = NIC[r.choice(["web", "bastion", "lb", "win"])]
    port = r.choice((23, 445, 1433, 5900, 6379, 8080, 9200, 2323))
    log.exchange(nic, log.when(), local=nic.ipv4, remote=public_ipv4(r), local_port=port,
                 remote_port=log.ephemeral(), proto=6, inbound=True, sent=0, received=0,
                 action="REJECT")


def _icmp_ping(log: Recorder) -> None:
    r = log.rng
    if r.random() < 0.4:
        nic = NIC["lb"]
        log.exchange(nic, log.when(), local=nic.ipv6, remote=r.choice(log.clients6), local_port=0,
                     remote_port=0, proto=58, inbound=True, sent=r.choice((64, 128)), received=128)
        return
    nic = NIC[r.choice(["web", "bastion"])]
    action = "ACCEPT" if nic.role == "web" else "REJECT"
    log.exchange(nic, log.when(), local=nic.ipv4, remote=r.choice(log.clients4), local_port=0,
                 remote_port=0, proto=1, inbound=True, sent=336, received=336, action=action)


def _admin_ssh(log: Recorder) -> None:
    bastion, r = NIC["bastion"], log.rng
    t = log.when()
    log.exchange(bastion, t, local=bastion.ipv4, remote=log.admin, local_port=22,
                 remote_port=log.ephemeral(), proto=6, inbound=True, sent=r.randint(5_000, 90_000),
                 received=r.randint(3_000, 40_000), long_lived=r.random() < 0.5)
    log.exchange(bastion, t + 5, local=bastion.ipv4, remote=NIC["db"].ipv4, local_port=log.ephemeral(),
                 remote_port=22, proto=6, inbound=False, sent=r.randint(2_000, 30_000),
                 received=r.randint(4_000, 80_000))


def _db_queries(log: Recorder) -> None:
    web, db, r = NIC["web"], NIC["db"], log.rng
    t, port = log.when(), log.ephemeral()
    sent, received = r.randint(500, 20_000), r.randint(2_000, 900_000)
    log.exchange(web, t, local=web.ipv4, remote=db.ipv4, local_port=port, remote_port=5432, proto=6,
                 inbound=False, sent=sent, received=received)
    log.exchange(db, t, local=db.ipv4, remote=web.ipv4, local_port=5432, remote_port=port, proto=6,
                 inbound=True, sent=received, received=sent)


def _nat_updates(log: Recorder) -> None:
    """A private instance reaches the internet through the NAT gateway (see both interfaces)."""
    db, nat, r = NIC["db"], NIC["nat"], log.rng
    t, host = log.when(), r.choice(log.clients4[5:15])
    port, nat_port = log.ephemeral(), log.ephemeral()
    sent, received = r.randint(400, 3_000), r.randint(10_000, 3_000_000)
    log.exchange(db, t, local=db.ipv4, remote=host, local_port=port, remote_port=443, proto=6,
                 inbound=False, sent=sent, received=received, out_path=1)
    end = t + r.randint(2, AGGREGATION_SECONDS - 1)
    out_pk, back_pk = max(1, sent // 500), max(1, received // 1200)
    # instance -> NAT interface, bound for the internet host
    log.record(nat, t, end, src=db.ipv4, dst=nat.ipv4, sport=port, dport=443, proto=6, packets=out_pk,
               nbytes=sent, egress=False, flags=FLAGS_CLIENT, pkt_dst=host)
    # NAT -> internet host and its response
    log.record(nat, t, end, src=nat.ipv4, dst=host, sport=nat_port, dport=443, proto=6, packets=out_pk,
               nbytes=sent, egress=True, flags=FLAGS_CLIENT)
    log.record(nat, t + 1, end, src=host, dst=nat.ipv4, sport=443, dport=nat_port, proto=6,
               packets=back_pk, nbytes=received, egress=False, flags=FLAGS_SERVER)
    # response forwarded to the instance: srcaddr is the NAT, pkt-srcaddr the internet host
    log.record(nat, t + 1, end, src=nat.ipv4, dst=db.ipv4, sport=443, dport=port, proto=6,
               packets=back_pk, nbytes=received, egress=True, flags=FLAGS_SERVER, pkt_src=host, path=1)


def _win_traffic(log: Recorder) -> None:
    win, r = NIC["win"], log.rng
    if r.random() < 0.5:
        log.exchange(win, log.when(), local=win.ipv4, remote=log.admin, local_port=3389,
                     remote_port=log.ephemeral(), proto=6, inbound=True,
                     sent=r.randint(50_000, 2_000_000), received=r.randint(10_000, 200_000),
                     long_lived=True)
    else:
        log.exchange(win, log.when(), local=win.ipv4, remote=r.choice(log.clients4[15:25]),
                     local_port=log.ephemeral(), remote_port=443, proto=6, inbound=False,
                     sent=r.randint(1_000, 8_000), received=r.randint(50_000, 8_000_000))


def _app6_ula(log: Recorder) -> None:
    app, r = NIC["app6"], log.rng
    if r.random() < 0.2:
        log.exchange(app, log.when(), local=app.ipv6, remote=r.choice(ULA_PEERS), local_port=0,
                     remote_port=0, proto=58, inbound=False, sent=64, received=64)
        return
    log.exchange(app, log.when(), local=app.ipv6, remote=r.choice(ULA_PEERS),
                 local_port=log.ephemeral(), remote_port=8443, proto=6, inbound=False,
                 sent=r.randint(800, 40_000), received=r.randint(2_000, 200_000))


def _app6_global(log: Recorder) -> None:
    app, r = NIC["app6"], log.rng
    log.exchange(app, log.when(), local=app.ipv6, remote=r.choice(log.clients6),
                 local_port=log.ephemeral(), remote_port=443, proto=6, inbound=False,
                 sent=r.randint(800, 9_000), received=r.randint(5_000, 900_000))


def _gre(log: Recorder) -> None:
    app, r = NIC["app6"], log.rng
    log.exchange(app, log.when(), local=app.ipv4, remote=GRE_PEER, local_port=0, remote_port=0,
                 proto=47, inbound=False, sent=r.randint(2_000, 90_000),
                 received=r.randint(2_000, 90_000))


def _lb_traffic(log: Recorder) -> None:
    lb, r = NIC["lb"], log.rng
    t, lb_port = log.when(), log.ephemeral()
    if r.random() < 0.25:
        remote, local = r.choice(log.clients6), lb.ipv6
    else:
        remote, local = r.choice(log.clients4), lb.ipv4
    sent, received = r.randint(3_000, 600_000), r.randint(500, 8_000)
    log.exchange(lb, t, local=local, remote=remote, local_port=443, remote_port=log.ephemeral(),
                 proto=6, inbound=True, sent=sent, received=received)
    log.exchange(lb, t + 1, local=lb.ipv4, remote=APP_TARGET, local_port=lb_port, remote_port=8080,
                 proto=6, inbound=False, sent=received, received=sent)


def _mysql_internal(log: Recorder) -> None:
    mysql, r = NIC["mysql"], log.rng
    log.exchange(mysql, log.when(), local=mysql.ipv4, remote=APP_TARGET, local_port=3306,
                 remote_port=log.ephemeral(), proto=6, inbound=True, sent=r.randint(1_000, 500_000),
                 received=r.randint(300, 6_000))


def _quiet_intervals(log: Recorder) -> None:
    """NODATA on quiet interfaces now and then; SKIPDATA twice a day on busy ones."""
    r = log.rng
    for hour in range(log.since - log.since % 3600, log.until, 3600):
        for role in ("bastion", "win", "mysql"):
            if r.random() < 0.15:
                start = hour + 60 * r.randint(0, 58)
                if log.since <= start and start + AGGREGATION_SECONDS <= log.until:
                    log.status(NIC[role], start, "NODATA")
    for _ in range(2 * max(1, (log.until - log.since) // 86400)):
        log.status(NIC[r.choice(["web", "lb"])], log.when(), "SKIPDATA")


def hour_crossings(log: Recorder) -> None:
    """One flow across every hour boundary (midnight included): filed under the later hour."""
    r = log.rng
    first = log.since - log.since % 3600 + 3600
    for boundary in range(first, log.until, 3600):
        lb = NIC["lb"]
        start = boundary - r.randint(10, 40)
        remote = r.choice(log.clients4)
        nbytes = r.randint(2_000, 90_000)
        log.record(lb, start, boundary + r.randint(5, 15), src=remote, dst=lb.ipv4,
                   sport=log.ephemeral(), dport=443, proto=6, packets=max(1, nbytes // 700),
                   nbytes=nbytes, egress=False, flags=0)
