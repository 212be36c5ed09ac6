-- name: bytes-by-interface
-- description: Bytes and packets per network interface, most bytes first. Shows which interfaces move
--   the most data. Only OK records.
-- fields: interface-id bytes packets
SELECT interface_id, sum(bytes) AS bytes, sum(packets) AS packets
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
GROUP BY interface_id
ORDER BY bytes DESC, interface_id
