-- Partitioned tables: static and dynamic partitions, INSERT OVERWRITE of one
-- partition, aggregation, DESC, and dropping what was created.
SET odps.namespace.schema=true;
CREATE SCHEMA IF NOT EXISTS sales;
USE SCHEMA sales;
CREATE TABLE orders (id BIGINT, amount DECIMAL(10,2), note VARCHAR(20), d DATE) PARTITIONED BY (dt STRING, region STRING);
INSERT INTO orders PARTITION (dt='2024-01-01', region) VALUES (1, 10.50, 'a', DATE '2024-01-01', 'east'), (2, 3.25, NULL, NULL, 'west');
INSERT INTO TABLE orders PARTITION (dt='2024-01-02', region='east') SELECT 3, 7.00, 'c', DATE '2024-01-02';
SELECT * FROM orders ORDER BY id LIMIT 10;
INSERT OVERWRITE TABLE orders PARTITION (dt='2024-01-01', region='east') VALUES (9, 1.00, 'o', NULL);
SELECT dt, region, count(*) AS n, sum(amount) AS total FROM orders GROUP BY dt, region ORDER BY dt, region LIMIT 10;
SHOW TABLES;
DESC orders;
DROP TABLE orders;
SHOW TABLES;
DROP SCHEMA sales;
SHOW SCHEMAS;
