-- name: unusual-protocols
-- description: Traffic over IP protocols other than ICMP (1), TCP (6), UDP (17) and ICMPv6 (58) - for example
--   GRE (47), ESP (50) or protocol 0 - per protocol, source and destination, most flows first. Tunnels
--   and odd traffic stand out here. Only OK records.
-- fields: srcaddr dstaddr protocol packets bytes
SELECT protocol, srcaddr, dstaddr, count(*) AS flows, sum(packets) AS packets, sum(bytes) AS bytes
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND protocol NOT IN (1, 6, 17, 58)
GROUP BY protocol, srcaddr, dstaddr
ORDER BY flows DESC, protocol, srcaddr, dstaddr
