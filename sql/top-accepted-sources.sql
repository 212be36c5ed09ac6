-- name: top-accepted-sources
-- description: The 10 source addresses with the most ACCEPTed flows. Shows who uses the network most
--   often. Only OK records.
-- fields: srcaddr action
SELECT srcaddr, count(*) AS flows
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND action = 'ACCEPT'
GROUP BY srcaddr
ORDER BY flows DESC, srcaddr
LIMIT 10
