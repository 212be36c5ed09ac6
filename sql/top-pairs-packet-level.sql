-- name: top-pairs-packet-level
-- description: The 50 packet-level source/destination address pairs (pkt-srcaddr, pkt-dstaddr: the original
--   endpoints behind NAT gateways or load balancers) that moved the most bytes, with their packets (AWS
--   console integration "TotalBytesTransferredPacketLevel"). Only OK records.
-- fields: pkt-srcaddr pkt-dstaddr packets bytes
SELECT pkt_srcaddr, pkt_dstaddr, sum(bytes) AS bytes, sum(packets) AS packets
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
GROUP BY pkt_srcaddr, pkt_dstaddr
ORDER BY bytes DESC, pkt_srcaddr, pkt_dstaddr
LIMIT 50
