-- name: bytes-by-asg-tag
-- description: Bytes, packets and flow records per value of the Auto Scaling group tag keys of
--   tag_fields ('auto-scaling-group': asg-tag, and asg-tag-2 when logged), most bytes first.
--   Values as AWS writes them (percent-encoded); '-' when the resource or the tag is absent. Only OK
--   records.
-- fields: asg-tag packets bytes
{% set second = has('asg-tag-2') %}
SELECT coalesce(asg_tag, '-') AS asg_tag,
{% if second %}
       coalesce(asg_tag_2, '-') AS asg_tag_2,
{% endif %}
       count(*) AS flows, sum(packets) AS packets, sum(bytes) AS bytes
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
GROUP BY coalesce(asg_tag, '-'){% if second %}, coalesce(asg_tag_2, '-'){% endif %}

ORDER BY bytes DESC, asg_tag{% if second %}, asg_tag_2{% endif %}

