-- name: top-talkers-packet-level
-- description: The 50 packet-level source addresses (pkt-srcaddr, the original sender behind a NAT gateway
--   or load balancer) that sent the most bytes, with their packets (AWS console integration
--   "TopTalkersPacketLevel"). Only OK records.
-- fields: pkt-srcaddr packets bytes
SELECT pkt_srcaddr, sum(bytes) AS bytes, sum(packets) AS packets
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
GROUP BY pkt_srcaddr
ORDER BY bytes DESC, pkt_srcaddr
LIMIT 50
