-- name: bytes-over-time
-- description: Total bytes per hour, by the hour (UTC) in which each flow started, oldest hour first.
--   Shows when traffic peaks. Hours without traffic do not appear. Only OK records.
-- fields: bytes
SELECT date_format(from_unixtime(start - start % 3600), '%Y-%m-%d %H:00') AS hour_utc, sum(bytes) AS bytes
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
GROUP BY date_format(from_unixtime(start - start % 3600), '%Y-%m-%d %H:00')
ORDER BY hour_utc
