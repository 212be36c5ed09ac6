-- name: top-pairs
-- description: The 50 source/destination address pairs that moved the most bytes, with their packets (AWS
--   console integration "TotalBytesTransferred"). Only OK records.
-- fields: srcaddr dstaddr packets bytes
SELECT srcaddr, dstaddr, sum(bytes) AS bytes, sum(packets) AS packets
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
GROUP BY srcaddr, dstaddr
ORDER BY bytes DESC, srcaddr, dstaddr
LIMIT 50
