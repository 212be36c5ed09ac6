-- name: packets-by-interface
-- description: Packets and bytes per network interface, most packets first. Many small packets can mean
--   scans or floods. Only OK records.
-- fields: interface-id bytes packets
SELECT interface_id, sum(bytes) AS bytes, sum(packets) AS packets
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
GROUP BY interface_id
ORDER BY packets DESC, interface_id
