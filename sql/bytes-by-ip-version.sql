-- name: bytes-by-ip-version
-- description: Total bytes, packets and flows of IPv4 and of IPv6 traffic, one row with both (AWS console
--   integration "IPv4Traffic" and "IPv6Traffic"). A source address containing ':' is IPv6. Zero when a
--   family has no traffic. Only OK records.
-- fields: srcaddr packets bytes
SELECT coalesce(sum(CASE WHEN strpos(srcaddr, ':') = 0 THEN bytes END), 0) AS ipv4_bytes,
       coalesce(sum(CASE WHEN strpos(srcaddr, ':') > 0 THEN bytes END), 0) AS ipv6_bytes,
       coalesce(sum(CASE WHEN strpos(srcaddr, ':') = 0 THEN packets END), 0) AS ipv4_packets,
       coalesce(sum(CASE WHEN strpos(srcaddr, ':') > 0 THEN packets END), 0) AS ipv6_packets,
       count_if(strpos(srcaddr, ':') = 0) AS ipv4_flows,
       count_if(strpos(srcaddr, ':') > 0) AS ipv6_flows
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
