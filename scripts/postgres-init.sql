-- Mary's PostgreSQL setup: one database per SQL subgraph, owned by the `mary` role.
-- Idempotent, so it runs on every `scripts/services up` and as the postgres image's
-- /docker-entrypoint-initdb.d script (run there by psql as POSTGRES_USER=mary).
-- Needs psql (it uses \gexec), connected as a superuser.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mary') THEN
    CREATE ROLE mary LOGIN SUPERUSER PASSWORD 'mary';
  END IF;
END
$$;

-- CREATE DATABASE has no IF NOT EXISTS and cannot run inside a DO block: generate the
-- statements for the missing ones and let psql execute them.
SELECT format('CREATE DATABASE %I OWNER mary', name)
FROM unnest(ARRAY['users', 'crm', 'inbox', 'billing']) AS name
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = name)
\gexec
