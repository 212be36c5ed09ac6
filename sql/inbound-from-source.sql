-- name: inbound-from-source
-- description: Inbound traffic from one source address to one network interface's address, as flows per
--   destination port and action (ACCEPT or REJECT), most flows first. Shows what a
--   given client tried to reach and whether it was let in. Only OK records.
-- fields: interface-id srcaddr dstaddr dstport action
-- param: interface_id string  Network interface ID, e.g. eni-0123456789abcdef0
-- param: srcaddr ip  Source IP address, e.g. 172.31.16.139
-- param: address ip  The interface's private IP address (the destination), e.g. 172.31.16.21
SELECT dstport, action, count(*) AS flows
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND interface_id = {{ p.interface_id }}
  AND CAST(srcaddr AS IPADDRESS) = CAST({{ p.srcaddr }} AS IPADDRESS)
  AND CAST(dstaddr AS IPADDRESS) = CAST({{ p.address }} AS IPADDRESS)
GROUP BY dstport, action
ORDER BY flows DESC, dstport, action
