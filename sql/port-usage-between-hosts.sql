-- name: port-usage-between-hosts
-- description: Which destination ports and protocols one host used to talk to another, with the packets
--   sent on each, most packets first. Shows what two servers actually exchange.
--   Only OK records.
-- fields: srcaddr dstaddr dstport protocol packets
-- param: srcaddr ip  Source IP address, e.g. 10.0.1.10
-- param: dstaddr ip  Destination IP address, e.g. 10.0.2.20
SELECT dstaddr, dstport, protocol, sum(packets) AS packets
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND CAST(srcaddr AS IPADDRESS) = CAST({{ p.srcaddr }} AS IPADDRESS)
  AND CAST(dstaddr AS IPADDRESS) = CAST({{ p.dstaddr }} AS IPADDRESS)
GROUP BY dstaddr, dstport, protocol
ORDER BY packets DESC, dstport, protocol
