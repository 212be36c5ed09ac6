-- name: large-transfers
-- description: Every flow record that moved more than 500 MiB (bytes > 524288000, i.e. 500 * 1024 * 1024)
--   within one aggregation interval, largest first. Bulk copies, backups or exfiltration show up here.
--   Only OK records.
-- fields: interface-id srcaddr dstaddr srcport dstport protocol packets bytes end action
SELECT from_unixtime(start) AS start_utc, interface_id, srcaddr, srcport, dstaddr, dstport, protocol,
       packets, bytes, start, "end", action
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND bytes > 524288000
ORDER BY bytes DESC, start, interface_id, srcaddr, srcport, dstaddr, dstport, protocol, "end", packets, action
