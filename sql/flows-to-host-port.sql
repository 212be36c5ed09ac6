-- name: flows-to-host-port
-- description: Every flow record to one destination address and port over one protocol (for example:
--   which flows reached 192.0.2.1 on UDP 123?), oldest first. Use it to check whether traffic reached
--   a server at all and whether it was accepted. Only OK records.
-- fields: interface-id srcaddr dstaddr srcport dstport protocol packets bytes end action
-- param: address ip  Destination IP address, e.g. 10.0.1.25
-- param: port int(0..65535)  Destination port, e.g. 443
-- param: protocol int(0..255)  IANA protocol number: 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6
SELECT from_unixtime(start) AS start_utc, interface_id, srcaddr, srcport, dstaddr, dstport, protocol,
       packets, bytes, start, "end", action
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND CAST(dstaddr AS IPADDRESS) = CAST({{ p.address }} AS IPADDRESS)
  AND dstport = {{ p.port }}
  AND protocol = {{ p.protocol }}
ORDER BY start, interface_id, srcaddr, srcport, dstaddr, dstport, protocol, "end", packets, bytes, action
