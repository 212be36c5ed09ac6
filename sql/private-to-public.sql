-- name: private-to-public
-- description: Traffic from private addresses to public ones, per source and destination, most bytes first.
--   Private source: RFC 1918 (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16) or IPv6 unique-local
--   (fc00::/7). Public destination: any address that is not private and not special - for IPv4 not in
--   0.0.0.0/8, 100.64.0.0/10 (carrier-grade NAT), 127.0.0.0/8, 169.254.0.0/16 (link-local),
--   224.0.0.0/4 (multicast) or 240.0.0.0/4 (reserved, broadcast); for IPv6 not ::, ::1, fe80::/10
--   (link-local) or ff00::/8 (multicast). Documentation ranges (192.0.2.0/24, 198.51.100.0/24,
--   203.0.113.0/24, 2001:db8::/32) count as public so that examples work. Only OK records.
-- fields: srcaddr dstaddr packets bytes
SELECT srcaddr, dstaddr, sum(bytes) AS bytes, sum(packets) AS packets
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND (
    (strpos(srcaddr, ':') = 0
     AND (contains('10.0.0.0/8', CAST(srcaddr AS IPADDRESS))
          OR contains('172.16.0.0/12', CAST(srcaddr AS IPADDRESS))
          OR contains('192.168.0.0/16', CAST(srcaddr AS IPADDRESS))))
    OR (strpos(srcaddr, ':') > 0
        AND contains('fc00::/7', CAST(srcaddr AS IPADDRESS)))
  )
  AND (
    (strpos(dstaddr, ':') = 0
     AND NOT (contains('0.0.0.0/8', CAST(dstaddr AS IPADDRESS))
              OR contains('10.0.0.0/8', CAST(dstaddr AS IPADDRESS))
              OR contains('100.64.0.0/10', CAST(dstaddr AS IPADDRESS))
              OR contains('127.0.0.0/8', CAST(dstaddr AS IPADDRESS))
              OR contains('169.254.0.0/16', CAST(dstaddr AS IPADDRESS))
              OR contains('172.16.0.0/12', CAST(dstaddr AS IPADDRESS))
              OR contains('192.168.0.0/16', CAST(dstaddr AS IPADDRESS))
              OR contains('224.0.0.0/4', CAST(dstaddr AS IPADDRESS))
              OR contains('240.0.0.0/4', CAST(dstaddr AS IPADDRESS))))
    OR (strpos(dstaddr, ':') > 0
        AND NOT (contains('::/128', CAST(dstaddr AS IPADDRESS))
                 OR contains('::1/128', CAST(dstaddr AS IPADDRESS))
                 OR contains('fc00::/7', CAST(dstaddr AS IPADDRESS))
                 OR contains('fe80::/10', CAST(dstaddr AS IPADDRESS))
                 OR contains('ff00::/8', CAST(dstaddr AS IPADDRESS))))
  )
GROUP BY srcaddr, dstaddr
ORDER BY bytes DESC, srcaddr, dstaddr
