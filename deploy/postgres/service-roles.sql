-- One service's database with two login roles (psql variables: db, migrator, migrator_password, runtime,
-- runtime_password). Run by init.sh for every service; safe to run again (passwords are reset, data kept).
--   migrator: owns the database and its `public` schema; the service connects as it only to run migrations
--             (DATABASE_MIGRATION_URL).
--   runtime:  what the service runs as (DATABASE_URL): it may read and write the rows of the tables the
--             migrator creates, and nothing else: no CREATE, ALTER, DROP or TRUNCATE, no other database.
-- After migrating, the service grants the runtime role the same rights itself and revokes its writes on
-- TypeORM's `migrations` table (so a database set up by an operator with only its owner works too: deploy/k8s).
SELECT format('CREATE ROLE %I LOGIN', :'migrator')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'migrator') \gexec
SELECT format('CREATE ROLE %I LOGIN', :'runtime')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'runtime') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'migrator', :'migrator_password') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'runtime', :'runtime_password') \gexec

SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'migrator')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'migrator') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', :'db', :'runtime') \gexec

\connect :db
-- A database from before the two roles belonged to the runtime role: hand what it owns to the migrator.
SELECT format('REASSIGN OWNED BY %I TO %I', :'runtime', :'migrator') \gexec
SELECT format('ALTER SCHEMA public OWNER TO %I', :'migrator') \gexec
REVOKE ALL ON SCHEMA public FROM PUBLIC;
SELECT format('GRANT USAGE ON SCHEMA public TO %I', :'runtime') \gexec
-- Tables and sequences the migrator creates later, and those it already has (a database made before).
SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', :'migrator', :'runtime') \gexec
SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO %I', :'migrator', :'runtime') \gexec
SELECT format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', :'runtime') \gexec
SELECT format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', :'runtime') \gexec
