-- name: unencrypted-traffic
-- description: Traffic that was not encrypted (encryption-status 0, as VPC Encryption Controls records it)
--   per source and destination address: flow records, packets and bytes, most bytes first. Records
--   without a status ('-': unknown, or Encryption Controls off) are left out. Only OK records.
-- fields: encryption-status srcaddr dstaddr packets bytes
SELECT srcaddr, dstaddr, count(*) AS flows, sum(packets) AS packets, sum(bytes) AS bytes
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND encryption_status = '0'
GROUP BY srcaddr, dstaddr
ORDER BY bytes DESC, srcaddr, dstaddr
