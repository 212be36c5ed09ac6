-- name: accept-reject-ratio
-- description: ACCEPTed versus REJECTed traffic: flows and bytes per action and each action's share of all
--   flows, from 0 to 1. A rising REJECT share points at scans
--   or broken rules. Only OK records.
-- fields: action bytes
SELECT action, count(*) AS flows, sum(bytes) AS bytes,
       CAST(count(*) AS double) / sum(count(*)) OVER () AS share
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
GROUP BY action
ORDER BY flows DESC, action
