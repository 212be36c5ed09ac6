-- name: rejected-connections
-- description: REJECTed traffic per source, destination and destination port (any protocol), with the
--   number of rejected flows, most first: which connections and ports are blocked. Only OK records.
-- fields: srcaddr dstaddr dstport action
SELECT srcaddr, dstaddr, dstport, count(*) AS rejected_flows
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND action = 'REJECT'
GROUP BY srcaddr, dstaddr, dstport
ORDER BY rejected_flows DESC, srcaddr, dstaddr, dstport
