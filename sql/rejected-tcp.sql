-- name: rejected-tcp
-- description: REJECTed TCP traffic (protocol 6) as flows per source, destination and destination port,
--   most flows first. Shows blocked connection attempts and the rules that block them.
--   Only OK records.
-- fields: srcaddr dstaddr dstport protocol action
SELECT srcaddr, dstaddr, dstport, count(*) AS rejected_flows
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND action = 'REJECT'
  AND protocol = 6
GROUP BY srcaddr, dstaddr, dstport
ORDER BY rejected_flows DESC, srcaddr, dstaddr, dstport
