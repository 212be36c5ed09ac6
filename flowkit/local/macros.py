"""The DuckDB macros that give IP addresses Trino's IPADDRESS semantics (SQL text only, no DuckDB import).

``flowkit_ip_value(s)`` is the 128-bit value of an address as a UHUGEINT, as Trino's IPADDRESS holds it
(IPv4 as ``::ffff:a.b.c.d``); the store keeps it beside ``srcaddr`` and ``dstaddr`` so a CIDR test is
one integer range check (``flowkit_ip_in_range``) and an equality one integer comparison.
``flowkit_cidr_value_contains(cidr, value)`` tests a block given as a parameter. For other text,
``flowkit_cidr_contains(cidr, ip)`` and ``flowkit_cidr_literal(ip, lo, hi, bits)`` implement
``contains(<cidr>, CAST(ip AS IPADDRESS))`` on the text itself. Text that is not an address gives
NULL. :mod:`flowkit.local.translate` writes the calls; the query's connection runs every statement
of :data:`MACROS` first.
"""

from __future__ import annotations

CONTAINS_MACRO = "flowkit_cidr_contains"
LITERAL_MACRO = "flowkit_cidr_literal"
VALUE_MACRO = "flowkit_ip_value"
RANGE_MACRO = "flowkit_ip_in_range"
VALUE_CONTAINS_MACRO = "flowkit_cidr_value_contains"
MAPPED_BASE = 0xFFFF << 32  # ::ffff:0.0.0.0, where Trino keeps IPv4 addresses

_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4_RE = rf"({_OCTET}\.){{3}}{_OCTET}"
_H = "[0-9a-f]{1,4}"
# All-hex IPv6 text (lower case): eight groups, or '::' once standing for at least one zero group.
_IPV6_HEX_RE = "|".join([
    f"({_H}:){{7}}{_H}", f"({_H}:){{1,7}}:", f"({_H}:){{1,6}}:{_H}", f"({_H}:){{1,5}}(:{_H}){{1,2}}",
    f"({_H}:){{1,4}}(:{_H}){{1,3}}", f"({_H}:){{1,3}}(:{_H}){{1,4}}", f"({_H}:){{1,2}}(:{_H}){{1,5}}",
    f"{_H}:(:{_H}){{1,6}}", f":((:{_H}){{1,7}}|:)",
])

# Addresses become 128-character bit strings; a CIDR block matches when the first prefix-length bits
# agree. Each macro returns NULL for text that is not an address. ``list_transform([x], lambda v: ...)[1]``
# binds x once (a "let"): macro arguments are expanded textually, and nesting them without it makes the
# expression grow exponentially.
MACROS: tuple[str, ...] = (
    # 32 bits of a dotted-quad IPv4 address (no leading zeros, like Trino and Python's ipaddress).
    f"""CREATE OR REPLACE MACRO flowkit_ipv4_bits(s) AS
    CASE WHEN regexp_full_match(s, '{_IPV4_RE}')
    THEN array_to_string(list_transform(string_split(s, '.'),
                                        lambda o: lpad(bin(TRY_CAST(o AS INTEGER)), 8, '0')), '')
    END""",
    # The hex groups of a colon-hex string that must expand to n groups ('::' stands for one or more).
    """CREATE OR REPLACE MACRO flowkit_hex_groups(p, n) AS
    list_transform([string_split(p, '::')], lambda parts: CASE
      WHEN len(parts) = 1 AND len(string_split(p, ':')) = n THEN string_split(p, ':')
      WHEN len(parts) = 2 THEN list_transform(
        [[CASE WHEN parts[1] = '' THEN []::VARCHAR[] ELSE string_split(parts[1], ':') END,
          CASE WHEN parts[2] = '' THEN []::VARCHAR[] ELSE string_split(parts[2], ':') END]],
        lambda lr: CASE WHEN n - len(lr[1]) - len(lr[2]) >= 1 THEN list_concat(list_concat(
            lr[1], list_transform(range(n - len(lr[1]) - len(lr[2])), lambda i: '0')), lr[2]) END)[1]
    END)[1]""",
    """CREATE OR REPLACE MACRO flowkit_groups_bits(g) AS
    list_transform([g], lambda gg: CASE
      WHEN len(list_filter(gg, lambda x: NOT regexp_full_match(x, '[0-9a-f]{1,4}'))) = 0
      THEN array_to_string(
        list_transform(gg, lambda x: lpad(bin(TRY_CAST('0x' || x AS INTEGER)), 16, '0')), '')
    END)[1]""",
    # 128 bits of an IPv6 address, including the forms with an embedded IPv4 address (::ffff:1.2.3.4).
    f"""CREATE OR REPLACE MACRO flowkit_ipv6_bits(s) AS
    list_transform([lower(s)], lambda v: CASE
      WHEN NOT contains(v, '.') THEN flowkit_groups_bits(flowkit_hex_groups(v, 8))
      WHEN regexp_full_match(v, '.*:{_IPV4_RE}') THEN list_transform(
        [regexp_extract(v, '^(.*):([0-9.]+)$', ['head', 'v4'])],
        lambda m: flowkit_groups_bits(flowkit_hex_groups(
                      CASE WHEN suffix(m.head, ':') THEN m.head || ':' ELSE m.head END, 6))
                  || flowkit_ipv4_bits(m.v4))[1]
    END)[1]""",
    # Any address as 128 bits; IPv4 as IPv4-mapped IPv6, as Trino's IPADDRESS stores it.
    """CREATE OR REPLACE MACRO flowkit_ip_bits(s) AS
    CASE WHEN contains(s, ':') THEN flowkit_ipv6_bits(s)
         ELSE repeat('0', 80) || repeat('1', 16) || flowkit_ipv4_bits(s) END""",
    # The integer value of a dotted-quad IPv4 address.
    f"""CREATE OR REPLACE MACRO flowkit_ipv4_int(s) AS
    CASE WHEN regexp_full_match(s, '{_IPV4_RE}')
    THEN (CAST(split_part(s, '.', 1) AS BIGINT) << 24) + (CAST(split_part(s, '.', 2) AS BIGINT) << 16)
         + (CAST(split_part(s, '.', 3) AS BIGINT) << 8) + CAST(split_part(s, '.', 4) AS BIGINT)
    END""",
    # String functions and RE2 only (no per-group lists), used by flowkit_ip_value.
    # An all-hex IPv6 text as its eight groups without leading zeros ('2001:db8:0:0:0:0:0:10').
    f"""CREATE OR REPLACE MACRO flowkit_ipv6_hex(v) AS
    CASE WHEN regexp_full_match(v, '{_IPV6_HEX_RE}') THEN regexp_replace(
      CASE WHEN contains(v, '::') THEN list_transform(
        [CASE WHEN starts_with(v, '::') THEN '0' ELSE '' END || v
         || CASE WHEN suffix(v, '::') THEN '0' ELSE '' END],
        lambda w: replace(w, '::', ':' || repeat('0:', 8 - (length(w) - length(replace(w, ':', ''))))))[1]
      ELSE v END, '(^|:)0+([0-9a-f])', '\\1\\2', 'g')
    END""",
    # IPv6 text ending in a dotted quad ('::ffff:1.2.3.4') as all-hex text ('::ffff:102:304').
    f"""CREATE OR REPLACE MACRO flowkit_ipv6_unembed(v) AS
    list_transform([regexp_extract(v, '[^:]*$')], lambda tail: CASE WHEN regexp_full_match(tail, '{_IPV4_RE}')
      THEN left(v, length(v) - length(tail))
           || printf('%x:%x', flowkit_ipv4_int(tail) >> 16, flowkit_ipv4_int(tail) & 65535) END)[1]""",
    # contains('<literal cidr>', CAST(ip AS IPADDRESS)) with the block worked out at translation time:
    # IPv4 text against the IPv4 range [lo, hi] it covers (lo > hi: none), IPv6 text by its leading bits.
    f"""CREATE OR REPLACE MACRO {LITERAL_MACRO}(ip, lo, hi, bits) AS
    CASE WHEN contains(ip, ':') THEN starts_with(flowkit_ipv6_bits(ip), bits)
         ELSE flowkit_ipv4_int(ip) BETWEEN lo AND hi END""",
    # contains(cidr, CAST(ip AS IPADDRESS)); a malformed CIDR block fails the query, as in Athena.
    f"""CREATE OR REPLACE MACRO {CONTAINS_MACRO}(cidr, ip) AS
    CASE WHEN cidr IS NOT NULL AND ip IS NOT NULL THEN list_transform(
      [{{'net': flowkit_ip_bits(split_part(cidr, '/', 1)),
         'len': TRY_CAST(split_part(cidr, '/', 2) AS INTEGER)
                + CASE WHEN contains(cidr, ':') THEN 0 ELSE 96 END,
         'ok': regexp_full_match(cidr, '[^/]+/[0-9]{{1,3}}')}}],
      lambda c: CASE
        WHEN NOT c.ok OR c.net IS NULL OR c.len > 128 THEN error('not a CIDR block: ' || cidr)
        ELSE left(flowkit_ip_bits(ip), c.len) = left(c.net, c.len)
      END)[1]
    END""",
    # The 128-bit value (UHUGEINT) of any address; NULL for text that is not one.
    f"""CREATE OR REPLACE MACRO {VALUE_MACRO}(s) AS
    CASE WHEN contains(s, ':') THEN list_transform(
           [flowkit_ipv6_hex(CASE WHEN contains(s, '.') THEN flowkit_ipv6_unembed(lower(s))
                                  ELSE lower(s) END)],
           lambda k: list_reduce(list_transform(string_split(k, ':'),
                                                lambda g: CAST(CAST('0x' || g AS INTEGER) AS UHUGEINT)),
                                 lambda acc, g: acc * 65536 + g))[1]
         WHEN regexp_full_match(s, '{_IPV4_RE}') THEN CAST({MAPPED_BASE} AS UHUGEINT)
              + list_reduce(list_transform(string_split(s, '.'), lambda o: CAST(o AS UBIGINT)),
                            lambda acc, o: acc * 256 + o)
    END""",
    # contains('<literal cidr>', CAST(ip AS IPADDRESS)) on a value: the block's range, worked out when
    # translating, as decimal text (a UHUGEINT literal).
    f"""CREATE OR REPLACE MACRO {RANGE_MACRO}(v, lo, hi) AS
    v BETWEEN CAST(lo AS UHUGEINT) AND CAST(hi AS UHUGEINT)""",
    # contains(cidr, CAST(ip AS IPADDRESS)) on a value; a malformed CIDR block fails the query.
    f"""CREATE OR REPLACE MACRO {VALUE_CONTAINS_MACRO}(cidr, v) AS
    CASE WHEN cidr IS NOT NULL AND v IS NOT NULL THEN list_transform(
      [{{'net': {VALUE_MACRO}(split_part(cidr, '/', 1)),
         'len': TRY_CAST(split_part(cidr, '/', 2) AS INTEGER)
                + CASE WHEN contains(cidr, ':') THEN 0 ELSE 96 END,
         'ok': regexp_full_match(cidr, '[^/]+/[0-9]{{1,3}}')}}],
      lambda c: CASE
        WHEN NOT c.ok OR c.net IS NULL OR c.len > 128 THEN error('not a CIDR block: ' || cidr)
        WHEN c.len = 0 THEN true
        ELSE (v >> CAST(128 - c.len AS UHUGEINT)) = (c.net >> CAST(128 - c.len AS UHUGEINT))
      END)[1]
    END""",
)
