-- name: tgw-vpc-to-vpc
-- description: Traffic between VPCs through the transit gateway: per source VPC, destination VPC and flow
--   direction (ingress: into the gateway from the attachment; egress: out of it), the flow records,
--   packets and bytes, most bytes first. A flow through two captured attachments is recorded by both,
--   once per direction. '-' where a side is no VPC (VPN, Direct Connect, peering). Only OK records.
-- fields: tgw-src-vpc-id tgw-dst-vpc-id flow-direction packets bytes
SELECT coalesce(tgw_src_vpc_id, '-') AS src_vpc, coalesce(tgw_dst_vpc_id, '-') AS dst_vpc, flow_direction,
       count(*) AS flows, sum(packets) AS packets, sum(bytes) AS bytes
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
GROUP BY coalesce(tgw_src_vpc_id, '-'), coalesce(tgw_dst_vpc_id, '-'), flow_direction
ORDER BY bytes DESC, src_vpc, dst_vpc, flow_direction
