-- name: tgw-packets-lost
-- description: Packets the transit gateway lost, per attachment and reason - no-route (no route matched),
--   blackhole (a blackhole route), mtu-exceeded, ttl-expired - most packets first. Reasons without a lost
--   packet are left out. Only OK records.
-- fields: tgw-attachment-id packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded
--   packets-lost-ttl-expired
WITH lost AS (
    SELECT tgw_attachment_id,
           sum(packets_lost_no_route) AS no_route,
           sum(packets_lost_blackhole) AS blackhole,
           sum(packets_lost_mtu_exceeded) AS mtu_exceeded,
           sum(packets_lost_ttl_expired) AS ttl_expired
    FROM {{ database }}.{{ table }}
    WHERE {{ window }}
      AND {{ ok }}
    GROUP BY tgw_attachment_id
)
SELECT tgw_attachment_id, reason, packets_lost
FROM (
    SELECT l.tgw_attachment_id, r.reason,
           CASE r.reason WHEN 'no-route' THEN l.no_route
                         WHEN 'blackhole' THEN l.blackhole
                         WHEN 'mtu-exceeded' THEN l.mtu_exceeded
                         ELSE l.ttl_expired END AS packets_lost
    FROM lost AS l
    CROSS JOIN (VALUES 'no-route', 'blackhole', 'mtu-exceeded', 'ttl-expired') AS r (reason)
) AS per_reason
WHERE packets_lost > 0
ORDER BY packets_lost DESC, tgw_attachment_id, reason
