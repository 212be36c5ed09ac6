-- name: rejected-by-protocol
-- description: REJECTed flows per IANA protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6) and each
--   protocol's share of all rejected flows, from 0 to 1. Only OK records.
-- fields: protocol action
SELECT protocol, count(*) AS rejected_flows,
       CAST(count(*) AS double) / sum(count(*)) OVER () AS share
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND action = 'REJECT'
GROUP BY protocol
ORDER BY rejected_flows DESC, protocol
