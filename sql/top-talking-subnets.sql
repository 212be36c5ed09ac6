-- name: top-talking-subnets
-- description: The 50 subnets whose network interfaces moved the most bytes (sent or received), with their
--   packets (AWS console integration "TopTalkingSubnets"). Only OK records.
-- fields: subnet-id packets bytes
SELECT subnet_id, sum(bytes) AS bytes, sum(packets) AS packets
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND subnet_id IS NOT NULL
  AND subnet_id <> '-'
GROUP BY subnet_id
ORDER BY bytes DESC, subnet_id
LIMIT 50
