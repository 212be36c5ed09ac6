-- name: rejected-traffic
-- description: Every REJECTed flow record (any protocol), oldest first (AWS console integration
--   "RejectedTraffic"). The raw evidence behind rejected-connections. Only OK records.
-- fields: interface-id srcaddr dstaddr srcport dstport protocol packets bytes end action
SELECT from_unixtime(start) AS start_utc, interface_id, srcaddr, srcport, dstaddr, dstport, protocol,
       packets, bytes, start, "end", action
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND action = 'REJECT'
ORDER BY start, interface_id, srcaddr, srcport, dstaddr, dstport, protocol, "end", packets, bytes
