-- name: accepted-ports-check
-- description: For a list of destination ports, how many inbound flows one network interface's address
--   ACCEPTed on each: is SSH or HTTP reachable from outside at all? Ports that accepted nothing do
--   not appear. Most flows first. Only OK records.
-- fields: interface-id dstaddr dstport action
-- param: interface_id string  Network interface ID, e.g. eni-0123456789abcdef0
-- param: address ip  The interface's private IP address (the destination), e.g. 10.0.1.25
-- param: ports port_list  Comma-separated destination ports, e.g. 22,80
SELECT dstport, count(*) AS flows
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND action = 'ACCEPT'
  AND interface_id = {{ p.interface_id }}
  AND CAST(dstaddr AS IPADDRESS) = CAST({{ p.address }} AS IPADDRESS)
  AND contains(transform(split({{ p.ports }}, ','), x -> CAST(trim(x) AS integer)), dstport)
GROUP BY dstport
ORDER BY flows DESC, dstport
