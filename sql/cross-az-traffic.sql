-- name: cross-az-traffic
-- description: Bytes that crossed Availability Zones - records whose interface's zone (az-id) differs from
--   the next hop's (next-hop-az-id) - per pair of zone IDs, with flow records and packets, most bytes
--   first. Cross-zone traffic is billed; records without a next-hop zone are left out. Only OK records.
-- fields: az-id next-hop-az-id packets bytes
SELECT az_id, next_hop_az_id, count(*) AS flows, sum(packets) AS packets, sum(bytes) AS bytes
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND az_id IS NOT NULL
  AND next_hop_az_id IS NOT NULL
  AND az_id <> next_hop_az_id
GROUP BY az_id, next_hop_az_id
ORDER BY bytes DESC, az_id, next_hop_az_id
