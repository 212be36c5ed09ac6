-- name: first-last-seen
-- description: For each source address, when it was first seen (earliest flow start) and last seen (latest
--   flow end) in the window, as UTC timestamps, and its number of flows, most flows first. Dates an
--   intruder's or a new client's activity. Only OK records.
-- fields: srcaddr end
SELECT srcaddr, from_unixtime(min(start)) AS first_seen, from_unixtime(max("end")) AS last_seen,
       count(*) AS flows
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
GROUP BY srcaddr
ORDER BY flows DESC, srcaddr
