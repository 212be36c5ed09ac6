-- name: tcp-from-source
-- description: TCP traffic (protocol 6) sent by one source address, per destination, destination port and
--   action: flows, packets and bytes, most bytes first (AWS console integration "TopTCPTraffic"). Only
--   OK records.
-- fields: srcaddr dstaddr dstport protocol packets bytes action
-- param: srcaddr ip  Source IP address, e.g. 10.0.1.10
SELECT dstaddr, dstport, action, count(*) AS flows, sum(packets) AS packets, sum(bytes) AS bytes
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND protocol = 6
  AND CAST(srcaddr AS IPADDRESS) = CAST({{ p.srcaddr }} AS IPADDRESS)
GROUP BY dstaddr, dstport, action
ORDER BY bytes DESC, dstaddr, dstport, action
