-- name: log-coverage
-- description: Records per log status - OK (traffic recorded), NODATA (no traffic in the interval) and
--   SKIPDATA (records skipped because of capacity limits or errors) - with the number of network
--   interfaces reporting each, most records first. SKIPDATA means the other queries undercount.
--   Counts every status, not only OK.
-- fields: interface-id
SELECT log_status, count(*) AS records, count(DISTINCT interface_id) AS interfaces
FROM {{ database }}.{{ table }}
WHERE {{ window }}
GROUP BY log_status
ORDER BY records DESC, log_status
