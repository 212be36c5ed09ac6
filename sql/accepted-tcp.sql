-- name: accepted-tcp
-- description: ACCEPTed TCP traffic (protocol 6) per source, destination and destination port: flows,
--   packets and bytes, most bytes first (AWS console integration "AcceptedTraffic"). Shows which TCP
--   services are really used. Only OK records.
-- fields: srcaddr dstaddr dstport protocol packets bytes action
SELECT srcaddr, dstaddr, dstport, count(*) AS flows, sum(packets) AS packets, sum(bytes) AS bytes
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND action = 'ACCEPT'
  AND protocol = 6
GROUP BY srcaddr, dstaddr, dstport
ORDER BY bytes DESC, srcaddr, dstaddr, dstport
