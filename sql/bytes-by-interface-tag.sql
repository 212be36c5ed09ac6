-- name: bytes-by-interface-tag
-- description: Bytes, packets and flow records per value of the network interface tag keys of
--   tag_fields ('network-interface': interface-tag, and interface-tag-2 when logged), most bytes first.
--   Values as AWS writes them (percent-encoded); '-' when the resource or the tag is absent. Only OK
--   records.
-- fields: interface-tag packets bytes
{% set second = has('interface-tag-2') %}
SELECT coalesce(interface_tag, '-') AS interface_tag,
{% if second %}
       coalesce(interface_tag_2, '-') AS interface_tag_2,
{% endif %}
       count(*) AS flows, sum(packets) AS packets, sum(bytes) AS bytes
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
GROUP BY coalesce(interface_tag, '-'){% if second %}, coalesce(interface_tag_2, '-'){% endif %}

ORDER BY bytes DESC, interface_tag{% if second %}, interface_tag_2{% endif %}

