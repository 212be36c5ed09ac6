-- name: database-port-traffic
-- description: Traffic to common database ports - 1433 SQL Server, 1521 Oracle, 3306 MySQL/Aurora, 5432
--   PostgreSQL, 5439 Redshift, 6379 Redis, 9042 Cassandra/Keyspaces, 9200 OpenSearch, 11211 Memcached,
--   27017 MongoDB/DocumentDB - per source, destination, port and action, most flows first. Who talks to
--   the data stores, and who was turned away. Only OK records.
-- fields: srcaddr dstaddr dstport packets bytes action
SELECT srcaddr, dstaddr, dstport, action, count(*) AS flows, sum(packets) AS packets, sum(bytes) AS bytes
FROM {{ database }}.{{ table }}
WHERE {{ window }}
  AND {{ ok }}
  AND dstport IN (1433, 1521, 3306, 5432, 5439, 6379, 9042, 9200, 11211, 27017)
GROUP BY srcaddr, dstaddr, dstport, action
ORDER BY flows DESC, srcaddr, dstaddr, dstport, action
