-- name: flows-between-hosts-on-port
-- description: Every flow record from one address to another on one destination port and protocol (for
--   example: HTTP from 192.0.2.1 to 192.0.2.10), oldest first. Use it to check connectivity
--   between two hosts. Only OK records.
-- fields: interface-id srcaddr dstaddr srcport dstport protocol packets bytes end action
-- param: srcaddr ip  Source IP address, e.g. 10.0.1.10
-- param: dstaddr ip  Destination IP address, e.g. 10.0.2.20
-- param: dstport int(0..65535)  Destination port, e.g. 80
-- param: protocol int(0..255)  IANA protocol number: 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6
SELECT from_unixtime(start) AS start_utc, interface_id, srcaddr, srcport, dstaddr, dstport, protocol,
       packets, bytes, start, "end", action
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND CAST(srcaddr AS IPADDRESS) = CAST({{ p.srcaddr }} AS IPADDRESS)
  AND CAST(dstaddr AS IPADDRESS) = CAST({{ p.dstaddr }} AS IPADDRESS)
  AND dstport = {{ p.dstport }}
  AND protocol = {{ p.protocol }}
ORDER BY start, interface_id, srcaddr, srcport, dstaddr, dstport, protocol, "end", packets, bytes, action
