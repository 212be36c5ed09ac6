-- name: top-talking-instances
-- description: The 50 EC2 instances whose network interfaces moved the most bytes (sent or received), with
--   their packets (AWS console integration "TopTalkingInstances"). Interfaces without an instance are
--   left out. Only OK records.
-- fields: instance-id packets bytes
SELECT instance_id, sum(bytes) AS bytes, sum(packets) AS packets
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND instance_id IS NOT NULL
  AND instance_id <> '-'
GROUP BY instance_id
ORDER BY bytes DESC, instance_id
LIMIT 50
