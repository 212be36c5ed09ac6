-- name: ssh-rdp-traffic
-- description: SSH (destination port 22) and RDP (3389) traffic per source, destination, port and action,
--   most flows first (AWS console integration "SshRdpTraffic"). Shows who logs in remotely, or tries to.
--   Only OK records.
-- fields: srcaddr dstaddr dstport packets bytes action
SELECT srcaddr, dstaddr, dstport, action, count(*) AS flows, sum(packets) AS packets, sum(bytes) AS bytes
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND dstport IN (22, 3389)
GROUP BY srcaddr, dstaddr, dstport, action
ORDER BY flows DESC, srcaddr, dstaddr, dstport, action
