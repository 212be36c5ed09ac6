-- name: traffic-from-source
-- description: Everything one source address sent, per destination, destination port, protocol and action:
--   flows, packets and bytes, most bytes first (AWS console integration "TrafficFrmSrcAddr"). Only OK
--   records.
-- fields: srcaddr dstaddr dstport protocol packets bytes action
-- param: srcaddr ip  Source IP address, e.g. 10.0.1.10
SELECT dstaddr, dstport, protocol, action, count(*) AS flows, sum(packets) AS packets, sum(bytes) AS bytes
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND CAST(srcaddr AS IPADDRESS) = CAST({{ p.srcaddr }} AS IPADDRESS)
GROUP BY dstaddr, dstport, protocol, action
ORDER BY bytes DESC, dstaddr, dstport, protocol, action
