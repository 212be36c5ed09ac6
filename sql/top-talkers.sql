-- name: top-talkers
-- description: The 50 source addresses that sent the most bytes, with their packets (AWS console
--   integration "TopTalkers"). Only OK records.
-- fields: srcaddr packets bytes
SELECT srcaddr, sum(bytes) AS bytes, sum(packets) AS packets
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
GROUP BY srcaddr
ORDER BY bytes DESC, srcaddr
LIMIT 50
