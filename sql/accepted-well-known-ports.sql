-- name: accepted-well-known-ports
-- description: Well-known destination ports (0-1023) on which one network interface's address ACCEPTed
--   inbound traffic, with the number of flows per port, most flows first. Shows
--   which services security groups and network ACLs really expose. Only OK records.
-- fields: interface-id dstaddr dstport action
-- param: interface_id string  Network interface ID, e.g. eni-0123456789abcdef0
-- param: address ip  The interface's private IP address (the destination), e.g. 10.0.1.25
SELECT dstport, count(*) AS flows
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND action = 'ACCEPT'
  AND dstport BETWEEN 0 AND 1023
  AND interface_id = {{ p.interface_id }}
  AND CAST(dstaddr AS IPADDRESS) = CAST({{ p.address }} AS IPADDRESS)
GROUP BY dstport
ORDER BY flows DESC, dstport
