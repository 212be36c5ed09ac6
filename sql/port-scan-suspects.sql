-- name: port-scan-suspects
-- description: Sources whose REJECTed flows hit at least min_ports distinct destination ports - the usual
--   sign of a port scan - with the number of distinct ports and of rejected
--   flows, widest scan first. Only OK records.
-- fields: srcaddr dstport action
-- param: min_ports int(1..65536) default=20  Fewest distinct rejected destination ports that make a suspect
SELECT srcaddr, distinct_ports, rejected_flows
FROM (
    SELECT srcaddr, count(DISTINCT dstport) AS distinct_ports, count(*) AS rejected_flows
    FROM {{ database }}.{{ table }}
    WHERE {{ window }}
      AND {{ ok }}
      AND action = 'REJECT'
    GROUP BY srcaddr
) AS per_source
WHERE distinct_ports >= {{ p.min_ports }}
ORDER BY distinct_ports DESC, rejected_flows DESC, srcaddr
