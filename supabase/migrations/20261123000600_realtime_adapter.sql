-- socket.io's Postgres adapter (REALTIME_ADAPTER=postgres) relays cross-node socket.io
-- operations with NOTIFY; payloads over NOTIFY's 8000-byte limit, or binary ones, are parked in
-- this table and only their id is notified. Only the server's own connection (the table's
-- owner) reads and writes it, so it lives outside the API-exposed public schema and no role of
-- the Data API gets any right on it. The adapter deletes rows older than 30 s itself.

-- ─── tables ─────────────────────────────────────────────────────────────────────────────────
create table private.socket_io_attachments (
  id bigint generated always as identity primary key,
  created_at timestamptz not null default now(),
  payload bytea not null
);

-- ─── enable RLS ──────────────────────────────────────────────────────────────────────────────
-- No policies: nobody but the owner (which bypasses RLS) may touch a row.
alter table private.socket_io_attachments enable row level security;

-- ─── grants ──────────────────────────────────────────────────────────────────────────────────
revoke all on private.socket_io_attachments from public, anon, authenticated, service_role;
