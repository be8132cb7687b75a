-- The bytes of a board's update log since its snapshot, kept with the document so that any app
-- node can tell when folding the log into the snapshot is due: once the log weighs half the
-- snapshot (see src/lib/server/board/store.ts). Folding after a fixed number of updates rewrote
-- a 2,000-card week (280 KB) every 200 moves, most of the WAL a busy board wrote.
alter table public.board_documents add column log_bytes bigint not null default 0 check (log_bytes >= 0);

update public.board_documents d
   set log_bytes = coalesce((select sum(octet_length(u.payload)) from public.board_updates u where u.document_id = d.id and u.seq > d.snapshot_seq), 0);
