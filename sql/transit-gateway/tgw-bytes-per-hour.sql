-- name: tgw-bytes-per-hour
-- description: Bytes and packets per transit gateway attachment and hour, by the hour (UTC) in which each
--   flow started, oldest hour first. Hours without traffic do not appear. Only OK records.
-- fields: tgw-attachment-id packets bytes
SELECT date_format(from_unixtime(start - start % 3600), '%Y-%m-%d %H:00') AS hour_utc, tgw_attachment_id,
       sum(bytes) AS bytes, sum(packets) AS packets
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
GROUP BY date_format(from_unixtime(start - start % 3600), '%Y-%m-%d %H:00'), tgw_attachment_id
ORDER BY hour_utc, tgw_attachment_id
