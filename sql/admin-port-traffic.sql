-- name: admin-port-traffic
-- description: Traffic to remote administration ports - 21 FTP, 22 SSH, 23 Telnet, 135 MS RPC, 139 and 445
--   SMB, 3389 RDP, 5900 VNC, 5985/5986 WinRM - per source, destination, port and action (ACCEPT or
--   REJECT), most flows first (AWS console integration "AdminPortTraffic"). TCP and UDP alike. Only OK
--   records.
-- fields: srcaddr dstaddr dstport packets bytes action
SELECT srcaddr, dstaddr, dstport, action, count(*) AS flows, sum(packets) AS packets, sum(bytes) AS bytes
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND dstport IN (21, 22, 23, 135, 139, 445, 3389, 5900, 5985, 5986)
GROUP BY srcaddr, dstaddr, dstport, action
ORDER BY flows DESC, srcaddr, dstaddr, dstport, action
