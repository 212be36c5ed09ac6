-- name: rejected-sources
-- description: Source addresses whose traffic was REJECTed, with the number of rejected flows, most first.
--   Shows who keeps knocking. Only OK records.
-- fields: srcaddr action
SELECT srcaddr, count(*) AS rejected_flows
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND action = 'REJECT'
GROUP BY srcaddr
ORDER BY rejected_flows DESC, srcaddr
