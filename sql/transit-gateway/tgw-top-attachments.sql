-- name: tgw-top-attachments
-- description: The 50 transit gateway attachments that moved the most bytes, with their transit gateway,
--   flow records and packets, and the bytes they took in (ingress) and sent out (egress). Only OK
--   records.
-- fields: tgw-id tgw-attachment-id flow-direction packets bytes
SELECT tgw_attachment_id, tgw_id, count(*) AS flows, sum(packets) AS packets, sum(bytes) AS bytes,
       sum(CASE WHEN flow_direction = 'ingress' THEN bytes ELSE 0 END) AS ingress_bytes,
       sum(CASE WHEN flow_direction = 'egress' THEN bytes ELSE 0 END) AS egress_bytes
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
GROUP BY tgw_attachment_id, tgw_id
ORDER BY bytes DESC, tgw_attachment_id, tgw_id
LIMIT 50
