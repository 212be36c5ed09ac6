-- name: tgw-flows-to-destination
-- description: Every flow record the transit gateway carried to one destination address, oldest first:
--   attachment and direction, source and destination VPC, addresses, ports, protocol, packets and bytes.
--   Only OK records.
-- fields: tgw-attachment-id flow-direction tgw-src-vpc-id tgw-dst-vpc-id srcaddr dstaddr srcport dstport
--   protocol packets bytes
-- param: dstaddr ip  Destination IP address, e.g. 10.1.2.30
SELECT from_unixtime(start) AS start_utc, tgw_attachment_id, flow_direction, tgw_src_vpc_id, srcaddr, srcport,
       tgw_dst_vpc_id, dstaddr, dstport, protocol, packets, bytes
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND CAST(dstaddr AS IPADDRESS) = CAST({{ p.dstaddr }} AS IPADDRESS)
ORDER BY start, tgw_attachment_id, flow_direction, srcaddr, srcport, dstport, protocol, packets, bytes,
         tgw_src_vpc_id, tgw_dst_vpc_id, dstaddr
