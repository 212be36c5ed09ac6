-- name: traffic-to-destination
-- description: Everything one destination address received, per source, destination port, protocol and
--   action: flows, packets and bytes, most bytes first (AWS console integration "TrafficToDstAddr").
--   Only OK records.
-- fields: srcaddr dstaddr dstport protocol packets bytes action
-- param: dstaddr ip  Destination IP address, e.g. 10.0.2.20
SELECT srcaddr, dstport, protocol, action, count(*) AS flows, sum(packets) AS packets, sum(bytes) AS bytes
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND CAST(dstaddr AS IPADDRESS) = CAST({{ p.dstaddr }} AS IPADDRESS)
GROUP BY srcaddr, dstport, protocol, action
ORDER BY bytes DESC, srcaddr, dstport, protocol, action
