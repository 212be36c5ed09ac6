-- name: bytes-by-instance-tag
-- description: Bytes, packets and flow records per value of the EC2 instance tag keys of
--   tag_fields ('instance': instance-tag, and instance-tag-2 when logged), most bytes first.
--   Values as AWS writes them (percent-encoded); '-' when the resource or the tag is absent. Only OK
--   records.
-- fields: instance-tag packets bytes
{% set second = has('instance-tag-2') %}
SELECT coalesce(instance_tag, '-') AS instance_tag,
{% if second %}
       coalesce(instance_tag_2, '-') AS instance_tag_2,
{% endif %}
       count(*) AS flows, sum(packets) AS packets, sum(bytes) AS bytes
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
GROUP BY coalesce(instance_tag, '-'){% if second %}, coalesce(instance_tag_2, '-'){% endif %}

ORDER BY bytes DESC, instance_tag{% if second %}, instance_tag_2{% endif %}

