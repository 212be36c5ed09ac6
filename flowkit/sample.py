"""Realistic sample VPC flow logs, written in the exact S3 layout AWS uses (for the demo and tests).

Two accounts, two regions, three VPCs and eight network interfaces exchange ordinary traffic (web,
SSH, RDP, databases, DNS, NTP, S3 through a gateway endpoint, a NAT gateway, a load balancer, IPv6
global and ULA addresses, ICMP/ICMPv6 and GRE) plus a handful of incidents an investigator should
find. Records use a 60 s aggregation interval. Each interface writes one file per 5-minute window
(named by the window of the records' END time and filed in that time's folder, as AWS does), so
records that start in one hour and end in the next land in the later hour (or day).

Text files are gzip with a header line; ``-`` marks a value that does not apply (NODATA and SKIPDATA
records have ``-`` in srcaddr ... bytes and action; this writer also leaves the per-packet fields
``tcp-flags``, ``type``, ``pkt-*``, ``flow-direction`` and ``traffic-path`` at ``-`` for them, and
keeps the interface's own metadata). Parquet columns are named like the Athena columns (hyphens
become underscores: Athena's Parquet SerDe matches columns by name) with the physical types of the
field catalogue (INT32, INT64, STRING); ``-`` becomes NULL. The same seed and ``now`` give
byte-identical text files.
"""

from __future__ import annotations

import gzip
import hashlib
import ipaddress
import random
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from flowkit.catalogue import PRESETS, Field
from flowkit.errors import KitError
from flowkit.layout import FileFormat, Layout, normalize_prefix

NA = "-"
AGGREGATION_SECONDS = 60
FILE_WINDOW_SECONDS = 300
DEFAULT_FLOWS_PER_DAY = 700
LARGE_TRANSFER_BYTES = 734_003_200  # ~700 MiB in one 60 s record: well above a 600 MB threshold

Record = dict[str, str]


class SampleError(KitError):
    """Bad arguments for the sample writer; the message is one line naming the problem."""


@dataclass(frozen=True)
class Interface:
    """One network interface of the sample estate."""

    role: str
    eni_id: str
    account: str
    region: str
    az_id: str
    vpc_id: str
    subnet_id: str
    instance_id: str  # "-" for requester-managed interfaces (NAT gateway, load balancer)
    ipv4: str
    ipv6: str  # "" when the interface has no IPv6 address
    flow_log_id: str


ACCOUNTS = ("493817265011", "802615937440")
REGIONS = ("eu-west-1", "us-east-1")
_A, _B = ACCOUNTS
_EU, _US = REGIONS
_FL_A_EU, _FL_A_US, _FL_B_EU = "fl-0a4e1f7c92b3d5e61", "fl-07c3b9e2f1a4d8c05", "fl-0e5d2a9c7b1f3e842"
_VPC_A_EU, _VPC_A_US, _VPC_B_EU = "vpc-0a1b2c3d4e5f60718", "vpc-0b7e6d5c4a3f21908", "vpc-0c9a8b7d6e5f43102"

INTERFACES: tuple[Interface, ...] = (
    Interface("web", "eni-0a11f3e5c7b9d2461", _A, _EU, "euw1-az1", _VPC_A_EU, "subnet-0c11aa22bb33cc441",
              "i-0f1e2d3c4b5a69788", "10.10.0.25", "2a05:d018:1a2b:3c00::25", _FL_A_EU),
    Interface("bastion", "eni-0b22e4d6f8a0c3572", _A, _EU, "euw1-az1", _VPC_A_EU, "subnet-0c11aa22bb33cc441",
              "i-0e2d3c4b5a6978801", "10.10.0.40", "", _FL_A_EU),
    Interface("db", "eni-0c33d5c7e9b1f4683", _A, _EU, "euw1-az2", _VPC_A_EU, "subnet-0d22bb33cc44dd552",
              "i-0d3c4b5a697880112", "10.10.1.50", "", _FL_A_EU),
    Interface("nat", "eni-0d44c6b8f0a2e5794", _A, _EU, "euw1-az1", _VPC_A_EU, "subnet-0c11aa22bb33cc441",
              NA, "10.10.0.100", "", _FL_A_EU),
    Interface("win", "eni-0e55b7a9c1d3f6805", _A, _US, "use1-az4", _VPC_A_US, "subnet-0e33cc44dd55ee663",
              "i-0c4b5a69788011223", "172.31.16.20", "", _FL_A_US),
    Interface("app6", "eni-0f66a8b0d2e4a7916", _A, _US, "use1-az6", _VPC_A_US, "subnet-0f44dd55ee66ff774",
              "i-0b5a6978801122334", "172.31.32.10", "fd7a:115c:a1e0:ab12::10", _FL_A_US),
    Interface("lb", "eni-0a77f9c1e3b5d8a27", _B, _EU, "euw1-az3", _VPC_B_EU, "subnet-0a55ee66ff77aa885",
              NA, "10.20.0.10", "2a05:d018:9f00:4d00::a", _FL_B_EU),
    Interface("mysql", "eni-0b88e0d2f4c6e9b38", _B, _EU, "euw1-az3", _VPC_B_EU, "subnet-0b66ff77aa88bb996",
              "i-0a69788011223344b", "10.20.1.30", "", _FL_B_EU),
)
NIC = {nic.role: nic for nic in INTERFACES}

# Addresses that are not interfaces of the sample but appear in its traffic.
APP_TARGET = "10.20.1.40"  # behind the load balancer, the only legitimate MySQL client
ULA_PEERS = ("fd7a:115c:a1e0:ab12::20", "fd7a:115c:a1e0:ab12::31")
S3_PREFIX = "52.218."
PUBLIC_RESOLVERS = ("1.1.1.1", "8.8.8.8")
GRE_PEER = "198.51.100.77"
_PUBLIC_FIRST_OCTETS = (3, 13, 18, 23, 31, 34, 45, 52, 62, 77, 81, 89, 91, 104, 141, 151, 176, 185, 193, 212)
_PUBLIC_V6_PREFIXES = ("2a01:4f8", "2600:1900", "2a02:26f0", "2001:67c", "2607:f8b0")
_SCAN_PORTS = (21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 443, 445, 993, 995, 1433, 1521, 1723,
               2049, 2375, 3306, 3389, 5060, 5432, 5900, 5985, 6379, 8000, 8080, 8443, 8888, 9000, 9200,
               11211, 27017)
_PRIVATE = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                                                   "fc00::/7"))
# tcp-flags of a whole short flow in one interval: client SYN+FIN, server SYN-ACK+FIN; a lone SYN.
_FLAGS_CLIENT, _FLAGS_SERVER, _FLAGS_SYN = 3, 19, 2


@dataclass
class SampleSummary:
    """What :func:`write_sample` wrote."""

    out_dir: Path
    layout: Layout
    files: int
    records: int
    accounts: tuple[str, ...]
    regions: tuple[str, ...]
    first: datetime  # earliest record start
    last: datetime  # latest record end
    crossing_hour: int  # records whose start and end fall in different hours
    crossing_midnight: int  # ... in different days
    incidents: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Human-readable lines for the console."""
        layout = self.layout
        shape = ", ".join((layout.file_format, "hive" if layout.hive else "plain",
                           "hourly" if layout.hourly else "daily"))
        out = [
            f"wrote {self.records} records in {self.files} files ({shape}) "
            f"under {self.out_dir / layout.root}",
            f"accounts {', '.join(self.accounts)}; regions {', '.join(self.regions)}",
            f"records from {self.first:%Y-%m-%d %H:%M:%S} to {self.last:%Y-%m-%d %H:%M:%S} UTC",
            f"{self.crossing_hour} records cross an hour boundary ({self.crossing_midnight} cross midnight) "
            "and are filed under their END time",
            "incidents to find:",
        ]
        return out + [f"  - {line}" for line in self.incidents]


def write_sample(
    out_dir: Path,
    *,
    days: int = 2,
    file_format: FileFormat = "text",
    hive: bool = False,
    hourly: bool = False,
    seed: int = 7,
    fields: tuple[Field, ...] = PRESETS["v5"],
    now: datetime | None = None,
    key_prefix: str = "",
    flows_per_day: int = DEFAULT_FLOWS_PER_DAY,
) -> SampleSummary:
    """Write sample flow logs for the ``days`` days before ``now`` under ``out_dir`` in the S3 layout.

    ``now`` defaults to the current UTC hour; ``flows_per_day`` sets the background traffic volume
    (each flow gives one to four records; incidents, NODATA and SKIPDATA records come on top).
    """
    if not isinstance(days, int) or days < 1 or days > 366:
        raise SampleError(f"days must be a whole number from 1 to 366, not {days!r}")
    if file_format not in ("text", "parquet"):
        raise SampleError(f"file format must be 'text' or 'parquet', not {file_format!r}")
    if not fields:
        raise SampleError("the field list is empty")
    if len({f.name for f in fields}) != len(fields):
        raise SampleError("the field list names a field twice")
    if not isinstance(flows_per_day, int) or flows_per_day < 0:
        raise SampleError(f"flows per day must be a whole number >= 0, not {flows_per_day!r}")
    if now is None:
        until = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    elif now.tzinfo is None:
        until = now.replace(tzinfo=UTC, microsecond=0)
    else:
        until = now.astimezone(UTC).replace(microsecond=0)
    since = until - timedelta(days=days)

    gen = _Generator(random.Random(seed), int(since.timestamp()), int(until.timestamp()))
    gen.generate(flows_per_day * days)
    records = gen.records
    layout = Layout(file_format, hive, hourly, normalize_prefix(key_prefix))
    files = _group_by_file(records, layout, seed)
    out_dir = Path(out_dir)
    if file_format == "text":
        _write_text(out_dir, files, fields)
    else:
        _write_parquet(out_dir, files, fields)

    starts = [int(r["start"]) for r in records]
    ends = [int(r["end"]) for r in records]
    return SampleSummary(
        out_dir=out_dir,
        layout=layout,
        files=len(files),
        records=len(records),
        accounts=tuple(sorted({r["account-id"] for r in records})),
        regions=tuple(sorted({r["region"] for r in records})),
        first=datetime.fromtimestamp(min(starts), UTC),
        last=datetime.fromtimestamp(max(ends), UTC),
        crossing_hour=sum(1 for s, e in zip(starts, ends, strict=True) if s // 3600 != e // 3600),
        crossing_midnight=sum(1 for s, e in zip(starts, ends, strict=True) if s // 86400 != e // 86400),
        incidents=gen.incidents,
    )


# -- files --------------------------------------------------------------------------------------


def _group_by_file(records: list[Record], layout: Layout, seed: int) -> dict[str, list[Record]]:
    """Key -> records, one file per interface and 5-minute window of the records' END time."""
    by_file: dict[tuple[str, int], list[Record]] = defaultdict(list)
    for rec in records:
        end = int(rec["end"])
        by_file[(rec["interface-id"], end - end % FILE_WINDOW_SECONDS)].append(rec)
    nics = {nic.eni_id: nic for nic in INTERFACES}
    out: dict[str, list[Record]] = {}
    for (eni_id, window), recs in sorted(by_file.items()):
        nic = nics[eni_id]
        when = datetime.fromtimestamp(window, UTC)
        digest = hashlib.sha256(f"{seed}/{eni_id}/{window}".encode()).hexdigest()[:8]
        key = layout.key_prefix_for(nic.account, nic.region, when) + layout.file_name(
            nic.account, nic.region, nic.flow_log_id, when, digest
        )
        out[key] = sorted(recs, key=lambda r: (int(r["start"]), int(r["end"])))
    return out


def _values(rec: Record, fields: tuple[Field, ...], version: str) -> list[str]:
    return [version if f.name == "version" else rec.get(f.name, NA) for f in fields]


def _version(fields: tuple[Field, ...]) -> str:
    """AWS writes the highest version among the format's fields (2 for the default format)."""
    return str(max(f.version for f in fields))


def _write_text(out_dir: Path, files: dict[str, list[Record]], fields: tuple[Field, ...]) -> None:
    header = " ".join(f.name for f in fields)
    version = _version(fields)
    for key, recs in files.items():
        lines = [header] + [" ".join(_values(r, fields, version)) for r in recs]
        path = out_dir / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), compresslevel=6, mtime=0))


def _write_parquet(out_dir: Path, files: dict[str, list[Record]], fields: tuple[Field, ...]) -> None:
    """Stage every record once in DuckDB, then COPY each file's rows to its key (one connection)."""
    version = _version(fields)
    keys = list(files)
    columns = "{'file_number': 'INTEGER', " + ", ".join(f"'{f.column}': 'VARCHAR'" for f in fields) + "}"
    select = ", ".join(f'CAST("{f.column}" AS {f.duckdb_type}) AS "{f.column}"' for f in fields)
    names = ", ".join(f'"{f.column}"' for f in fields)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute("SET threads = 1")  # thousands of tiny files: thread start-up costs more than it saves
    try:
        with tempfile.TemporaryDirectory(prefix="flowkit-sample-") as tmp:
            staging = Path(tmp) / "rows.txt"
            with staging.open("w") as handle:
                for number, key in enumerate(keys):
                    for rec in files[key]:
                        handle.write(f"{number} " + " ".join(_values(rec, fields, version)) + "\n")
            con.execute(
                f"CREATE TEMP TABLE sample_rows AS SELECT file_number, {select} FROM read_csv("
                f"'{_sql_path(staging)}', delim=' ', header=false, nullstr='-', quote='', escape='', "
                f"columns={columns})"
            )
        for number, key in enumerate(keys):
            target = out_dir / key
            target.parent.mkdir(parents=True, exist_ok=True)
            con.execute(
                f"COPY (SELECT {names} FROM sample_rows WHERE file_number = {number}) "
                f"TO '{_sql_path(target)}' (FORMAT parquet)"
            )
    finally:
        con.close()


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


# -- traffic ------------------------------------------------------------------------------------


def _is_private(addr: str) -> bool:
    ip = ipaddress.ip_address(addr)
    return any(ip in net for net in _PRIVATE if net.version == ip.version)


class _Generator:
    """Builds the records (all catalogue fields, as strings) and the incident descriptions."""

    def __init__(self, rng: random.Random, since: int, until: int) -> None:
        self.rng = rng
        self.since = since
        self.until = until
        self.records: list[Record] = []
        self.incidents: list[str] = []
        self.clients4 = [self._public4() for _ in range(60)]
        self.clients6 = [self._public6() for _ in range(20)]
        self.admin = self._public4()

    # addresses and numbers
    def _public4(self) -> str:
        r = self.rng
        return f"{r.choice(_PUBLIC_FIRST_OCTETS)}.{r.randint(1, 254)}.{r.randint(1, 254)}.{r.randint(1, 254)}"

    def _public6(self) -> str:
        r = self.rng
        groups = ":".join(f"{r.randint(1, 0xFFFF):x}" for _ in range(2))
        return f"{r.choice(_PUBLIC_V6_PREFIXES)}:{groups}::{r.randint(1, 0xFFFF):x}"

    def _ephemeral(self) -> int:
        return self.rng.randint(32768, 65535)

    def _when(self, margin: int = 120) -> int:
        """A start second in the window, busier by day than by night."""
        t = self.rng.randint(self.since, self.until - margin)
        if (t // 3600) % 24 < 7 and self.rng.random() < 0.5:
            t = self.rng.randint(self.since, self.until - margin)
        return t

    @staticmethod
    def _stamp(t: int) -> str:
        return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M")

    # records
    def record(
        self, nic: Interface, start: int, end: int, *, src: str, dst: str, sport: int, dport: int,
        proto: int, packets: int, nbytes: int, action: str = "ACCEPT", egress: bool, flags: int = 0,
        pkt_src: str | None = None, pkt_dst: str | None = None, path: int | None = None,
        src_service: str = NA, dst_service: str = NA,
    ) -> None:
        if egress and path is None:
            path = 1 if _is_private(dst) else 8
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
            flags = _FLAGS_SYN if tcp else 0
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
        out_flags = (_FLAGS_SERVER if inbound else _FLAGS_CLIENT) if tcp and not long_lived else 0
        in_flags = (_FLAGS_CLIENT if inbound else _FLAGS_SERVER) if tcp and not long_lived else 0
        t_in, t_out = (t, t + 1) if inbound else (t + 1, t)
        self.record(nic, t_in, end, src=remote, dst=local, sport=remote_port, dport=local_port, proto=proto,
                    packets=max(1, received // size), nbytes=received, egress=False, flags=in_flags,
                    src_service=in_src_service)
        self.record(nic, t_out, end, src=local, dst=remote, sport=local_port, dport=remote_port, proto=proto,
                    packets=max(1, sent // size), nbytes=sent, egress=True, flags=out_flags, path=out_path,
                    dst_service=out_dst_service)

    # background traffic
    def generate(self, flows: int) -> None:
        profiles = [
            (self._web_https, 30), (self._web_http, 6), (self._web_dns, 6), (self._web_s3, 5),
            (self._internet_noise, 8), (self._icmp_ping, 3), (self._admin_ssh, 3), (self._db_queries, 10),
            (self._nat_updates, 6), (self._win_traffic, 4), (self._app6_ula, 6), (self._app6_global, 3),
            (self._gre, 2), (self._lb_traffic, 15), (self._mysql_internal, 8), (self._ntp, 2),
        ]
        funcs = [f for f, _ in profiles]
        weights = [w for _, w in profiles]
        for _ in range(flows):
            self.rng.choices(funcs, weights)[0]()
        self._quiet_intervals()
        self._port_scan()
        self._ssh_brute_force()
        self._rdp_attempts()
        self._large_transfer()
        self._database_from_outside()
        self._hour_crossings()

    def _web_https(self) -> None:
        web, r = NIC["web"], self.rng
        if r.random() < 0.3:
            remote, local = r.choice(self.clients6), web.ipv6
        else:
            remote, local = r.choice(self.clients4), web.ipv4
        self.exchange(web, self._when(), local=local, remote=remote, local_port=443,
                      remote_port=self._ephemeral(), proto=6, inbound=True,
                      sent=r.randint(4_000, 400_000), received=r.randint(600, 9_000))

    def _web_http(self) -> None:
        web, r = NIC["web"], self.rng
        self.exchange(web, self._when(), local=web.ipv4, remote=r.choice(self.clients4), local_port=80,
                      remote_port=self._ephemeral(), proto=6, inbound=True, sent=r.randint(300, 900),
                      received=r.randint(300, 700))

    def _web_dns(self) -> None:
        web, r = NIC["web"], self.rng
        self.exchange(web, self._when(), local=web.ipv4, remote=r.choice(PUBLIC_RESOLVERS),
                      local_port=self._ephemeral(), remote_port=53, proto=17, inbound=False,
                      sent=r.randint(60, 90), received=r.randint(90, 300))

    def _web_s3(self) -> None:
        web, r = NIC["web"], self.rng
        s3 = f"{S3_PREFIX}{r.randint(0, 255)}.{r.randint(1, 254)}"
        self.exchange(web, self._when(), local=web.ipv4, remote=s3, local_port=self._ephemeral(),
                      remote_port=443, proto=6, inbound=False, sent=r.randint(20_000, 5_000_000),
                      received=r.randint(2_000, 20_000), out_path=7, out_dst_service="S3",
                      in_src_service="S3")

    def _ntp(self) -> None:
        nic = NIC[self.rng.choice(["web", "bastion", "win"])]
        self.exchange(nic, self._when(), local=nic.ipv4, remote=self.rng.choice(self.clients4[:3]),
                      local_port=123, remote_port=123, proto=17, inbound=False, sent=76, received=76)

    def _internet_noise(self) -> None:
        r = self.rng
        nic = NIC[r.choice(["web", "bastion", "lb", "win"])]
        port = r.choice((23, 445, 1433, 5900, 6379, 8080, 9200, 2323))
        self.exchange(nic, self._when(), local=nic.ipv4, remote=self._public4(), local_port=port,
                      remote_port=self._ephemeral(), proto=6, inbound=True, sent=0, received=0,
                      action="REJECT")

    def _icmp_ping(self) -> None:
        r = self.rng
        if r.random() < 0.4:
            nic = NIC["lb"]
            self.exchange(nic, self._when(), local=nic.ipv6, remote=r.choice(self.clients6), local_port=0,
                          remote_port=0, proto=58, inbound=True, sent=r.choice((64, 128)), received=128)
            return
        nic = NIC[r.choice(["web", "bastion"])]
        action = "ACCEPT" if nic.role == "web" else "REJECT"
        self.exchange(nic, self._when(), local=nic.ipv4, remote=r.choice(self.clients4), local_port=0,
                      remote_port=0, proto=1, inbound=True, sent=336, received=336, action=action)

    def _admin_ssh(self) -> None:
        bastion, r = NIC["bastion"], self.rng
        t = self._when()
        self.exchange(bastion, t, local=bastion.ipv4, remote=self.admin, local_port=22,
                      remote_port=self._ephemeral(), proto=6, inbound=True, sent=r.randint(5_000, 90_000),
                      received=r.randint(3_000, 40_000), long_lived=r.random() < 0.5)
        self.exchange(bastion, t + 5, local=bastion.ipv4, remote=NIC["db"].ipv4, local_port=self._ephemeral(),
                      remote_port=22, proto=6, inbound=False, sent=r.randint(2_000, 30_000),
                      received=r.randint(4_000, 80_000))

    def _db_queries(self) -> None:
        web, db, r = NIC["web"], NIC["db"], self.rng
        t, port = self._when(), self._ephemeral()
        sent, received = r.randint(500, 20_000), r.randint(2_000, 900_000)
        self.exchange(web, t, local=web.ipv4, remote=db.ipv4, local_port=port, remote_port=5432, proto=6,
                      inbound=False, sent=sent, received=received)
        self.exchange(db, t, local=db.ipv4, remote=web.ipv4, local_port=5432, remote_port=port, proto=6,
                      inbound=True, sent=received, received=sent)

    def _nat_updates(self) -> None:
        """A private instance reaches the internet through the NAT gateway (see both interfaces)."""
        db, nat, r = NIC["db"], NIC["nat"], self.rng
        t, host = self._when(), r.choice(self.clients4[5:15])
        port, nat_port = self._ephemeral(), self._ephemeral()
        sent, received = r.randint(400, 3_000), r.randint(10_000, 3_000_000)
        self.exchange(db, t, local=db.ipv4, remote=host, local_port=port, remote_port=443, proto=6,
                      inbound=False, sent=sent, received=received, out_path=1)
        end = t + r.randint(2, AGGREGATION_SECONDS - 1)
        out_pk, back_pk = max(1, sent // 500), max(1, received // 1200)
        # instance -> NAT interface, bound for the internet host
        self.record(nat, t, end, src=db.ipv4, dst=nat.ipv4, sport=port, dport=443, proto=6, packets=out_pk,
                    nbytes=sent, egress=False, flags=_FLAGS_CLIENT, pkt_dst=host)
        # NAT -> internet host and its response
        self.record(nat, t, end, src=nat.ipv4, dst=host, sport=nat_port, dport=443, proto=6, packets=out_pk,
                    nbytes=sent, egress=True, flags=_FLAGS_CLIENT)
        self.record(nat, t + 1, end, src=host, dst=nat.ipv4, sport=443, dport=nat_port, proto=6,
                    packets=back_pk, nbytes=received, egress=False, flags=_FLAGS_SERVER)
        # response forwarded to the instance: srcaddr is the NAT, pkt-srcaddr the internet host
        self.record(nat, t + 1, end, src=nat.ipv4, dst=db.ipv4, sport=443, dport=port, proto=6,
                    packets=back_pk, nbytes=received, egress=True, flags=_FLAGS_SERVER, pkt_src=host, path=1)

    def _win_traffic(self) -> None:
        win, r = NIC["win"], self.rng
        if r.random() < 0.5:
            self.exchange(win, self._when(), local=win.ipv4, remote=self.admin, local_port=3389,
                          remote_port=self._ephemeral(), proto=6, inbound=True,
                          sent=r.randint(50_000, 2_000_000), received=r.randint(10_000, 200_000),
                          long_lived=True)
        else:
            self.exchange(win, self._when(), local=win.ipv4, remote=r.choice(self.clients4[15:25]),
                          local_port=self._ephemeral(), remote_port=443, proto=6, inbound=False,
                          sent=r.randint(1_000, 8_000), received=r.randint(50_000, 8_000_000))

    def _app6_ula(self) -> None:
        app, r = NIC["app6"], self.rng
        if r.random() < 0.2:
            self.exchange(app, self._when(), local=app.ipv6, remote=r.choice(ULA_PEERS), local_port=0,
                          remote_port=0, proto=58, inbound=False, sent=64, received=64)
            return
        self.exchange(app, self._when(), local=app.ipv6, remote=r.choice(ULA_PEERS),
                      local_port=self._ephemeral(), remote_port=8443, proto=6, inbound=False,
                      sent=r.randint(800, 40_000), received=r.randint(2_000, 200_000))

    def _app6_global(self) -> None:
        app, r = NIC["app6"], self.rng
        self.exchange(app, self._when(), local=app.ipv6, remote=r.choice(self.clients6),
                      local_port=self._ephemeral(), remote_port=443, proto=6, inbound=False,
                      sent=r.randint(800, 9_000), received=r.randint(5_000, 900_000))

    def _gre(self) -> None:
        app, r = NIC["app6"], self.rng
        self.exchange(app, self._when(), local=app.ipv4, remote=GRE_PEER, local_port=0, remote_port=0,
                      proto=47, inbound=False, sent=r.randint(2_000, 90_000),
                      received=r.randint(2_000, 90_000))

    def _lb_traffic(self) -> None:
        lb, r = NIC["lb"], self.rng
        t, lb_port = self._when(), self._ephemeral()
        if r.random() < 0.25:
            remote, local = r.choice(self.clients6), lb.ipv6
        else:
            remote, local = r.choice(self.clients4), lb.ipv4
        sent, received = r.randint(3_000, 600_000), r.randint(500, 8_000)
        self.exchange(lb, t, local=local, remote=remote, local_port=443, remote_port=self._ephemeral(),
                      proto=6, inbound=True, sent=sent, received=received)
        self.exchange(lb, t + 1, local=lb.ipv4, remote=APP_TARGET, local_port=lb_port, remote_port=8080,
                      proto=6, inbound=False, sent=received, received=sent)

    def _mysql_internal(self) -> None:
        mysql, r = NIC["mysql"], self.rng
        self.exchange(mysql, self._when(), local=mysql.ipv4, remote=APP_TARGET, local_port=3306,
                      remote_port=self._ephemeral(), proto=6, inbound=True, sent=r.randint(1_000, 500_000),
                      received=r.randint(300, 6_000))

    def _quiet_intervals(self) -> None:
        """NODATA on quiet interfaces now and then; SKIPDATA twice a day on busy ones."""
        r = self.rng
        for hour in range(self.since - self.since % 3600, self.until, 3600):
            for role in ("bastion", "win", "mysql"):
                if r.random() < 0.15:
                    start = hour + 60 * r.randint(0, 58)
                    if self.since <= start and start + AGGREGATION_SECONDS <= self.until:
                        self.status(NIC[role], start, "NODATA")
        for _ in range(2 * max(1, (self.until - self.since) // 86400)):
            self.status(NIC[r.choice(["web", "lb"])], self._when(), "SKIPDATA")

    # incidents
    def _port_scan(self) -> None:
        web, r = NIC["web"], self.rng
        scanner = self._public4()
        ports = sorted(set(_SCAN_PORTS) | set(r.sample(range(1024, 32768), 30)))
        t0 = self._when(margin=900)
        rejected = 0
        for i, port in enumerate(ports):
            t = t0 + i * 4 // 3
            action = "ACCEPT" if port in (80, 443) else "REJECT"
            rejected += action == "REJECT"
            self.exchange(web, t, local=web.ipv4, remote=scanner, local_port=port,
                          remote_port=self._ephemeral(), proto=6, inbound=True, sent=60, received=60,
                          action=action)
        self.incidents.append(
            f"port scan: {scanner} -> {web.ipv4} ({web.eni_id}, {web.account} {web.region}) REJECTed on "
            f"{rejected} distinct TCP ports (80 and 443 answered), from {self._stamp(t0)} UTC"
        )

    def _ssh_brute_force(self) -> None:
        bastion, r = NIC["bastion"], self.rng
        attacker = self._public4()
        t0 = self._when(margin=3600)
        accepted = 0
        attempts = 140
        for i in range(attempts):
            t = t0 + i * 20 + r.randint(0, 9)
            if i % 20 == 7:
                accepted += 1
                self.exchange(bastion, t, local=bastion.ipv4, remote=attacker, local_port=22,
                              remote_port=self._ephemeral(), proto=6, inbound=True,
                              sent=r.randint(2_500, 4_000), received=r.randint(1_800, 3_000))
            else:
                self.exchange(bastion, t, local=bastion.ipv4, remote=attacker, local_port=22,
                              remote_port=self._ephemeral(), proto=6, inbound=True, sent=0, received=0,
                              action="REJECT")
        self.incidents.append(
            f"SSH brute force: {attacker} -> {bastion.ipv4}:22 ({bastion.eni_id}, {bastion.account} "
            f"{bastion.region}) {attempts - accepted} REJECTed and {accepted} ACCEPTed flows, from "
            f"{self._stamp(t0)} UTC"
        )

    def _rdp_attempts(self) -> None:
        win, r = NIC["win"], self.rng
        sources = [self._public4() for _ in range(3)]
        t0 = self._when(margin=3600)
        counts = {s: 0 for s in sources}
        for i in range(48):
            source = sources[0] if i % 3 else r.choice(sources[1:])
            counts[source] += 1
            self.exchange(win, t0 + i * 60 + r.randint(0, 50), local=win.ipv4, remote=source, local_port=3389,
                          remote_port=self._ephemeral(), proto=6, inbound=True, sent=0, received=0,
                          action="REJECT")
        detail = ", ".join(f"{s} ({n})" for s, n in counts.items())
        self.incidents.append(
            f"RDP attempts: {detail} -> {win.ipv4}:3389 ({win.eni_id}, {win.account} {win.region}) "
            f"all REJECTed, from {self._stamp(t0)} UTC"
        )

    def _large_transfer(self) -> None:
        mysql, r = NIC["mysql"], self.rng
        dest = self._public4()
        t = self._when()
        self.exchange(mysql, t, local=mysql.ipv4, remote=dest, local_port=self._ephemeral(), remote_port=443,
                      proto=6, inbound=False, sent=LARGE_TRANSFER_BYTES + r.randint(0, 9_999),
                      received=r.randint(2_000_000, 4_000_000), long_lived=True)
        self.incidents.append(
            f"large transfer: {mysql.ipv4} -> {dest}:443 ({mysql.eni_id}, {mysql.account} {mysql.region}) "
            f"sent {LARGE_TRANSFER_BYTES // 1_000_000}+ MB in one flow at {self._stamp(t)} UTC"
        )

    def _database_from_outside(self) -> None:
        mysql, r = NIC["mysql"], self.rng
        outsider = self._public4()
        t0 = self._when(margin=1800)
        for i in range(6):
            self.exchange(mysql, t0 + i * 240, local=mysql.ipv4, remote=outsider, local_port=3306,
                          remote_port=self._ephemeral(), proto=6, inbound=True,
                          sent=r.randint(20_000, 300_000), received=r.randint(500, 3_000))
        self.incidents.append(
            f"database port from outside: {outsider} -> {mysql.ipv4}:3306 ({mysql.eni_id}, {mysql.account} "
            f"{mysql.region}) 6 ACCEPTed flows, from {self._stamp(t0)} UTC"
        )

    def _hour_crossings(self) -> None:
        """One flow across every hour boundary (midnight included): filed under the later hour."""
        r = self.rng
        first = self.since - self.since % 3600 + 3600
        for boundary in range(first, self.until, 3600):
            lb = NIC["lb"]
            start = boundary - r.randint(10, 40)
            remote = r.choice(self.clients4)
            nbytes = r.randint(2_000, 90_000)
            self.record(lb, start, boundary + r.randint(5, 15), src=remote, dst=lb.ipv4,
                        sport=self._ephemeral(), dport=443, proto=6, packets=max(1, nbytes // 700),
                        nbytes=nbytes, egress=False, flags=0)
