-- The seed flow: a Paimon_DLF external project mapped to a DLF catalog.
-- Schema syntax needs the namespace flag in the external project.
SET odps.namespace.schema=true;
SHOW SCHEMAS;
USE SCHEMA default;
CREATE TABLE IF NOT EXISTS emp (id INT, name STRING);
INSERT INTO emp VALUES (101, 'Zhang San'), (102, 'Li Si');
SELECT * FROM emp;
SHOW TABLES;
