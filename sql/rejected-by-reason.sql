-- name: rejected-by-reason
-- description: Rejected flow records per reject reason - BPA (VPC Block Public Access), EC (VPC Encryption
--   Controls), '-' when AWS records none (security groups and network ACLs) - with their packets, bytes
--   and distinct source addresses, most records first. Only OK records.
-- fields: action reject-reason srcaddr packets bytes
SELECT coalesce(reject_reason, '-') AS reject_reason, count(*) AS rejected_flows, sum(packets) AS packets,
       sum(bytes) AS bytes, count(DISTINCT srcaddr) AS sources
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND action = 'REJECT'
GROUP BY coalesce(reject_reason, '-')
ORDER BY rejected_flows DESC, reject_reason
