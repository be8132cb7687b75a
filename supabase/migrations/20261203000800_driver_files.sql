-- Drivers' documents as notification subjects: the daily expiry alerts go through notify()
-- (in-app, email and SMS by the person's preferences), whose visibility check selects the
-- document as each recipient; the document's own policies (the organisation's managers and the
-- driver themself) decide who hears of it. The files themselves need nothing new: the bytes
-- live in object storage under driver_documents.storage_key, served only after that row is
-- read as the person (src/routes/files/driver-documents).
-- Sections: constraints.

-- ─── constraints ─────────────────────────────────────────────────────────────────────────────
alter table public.notifications drop constraint notifications_subject_table_check;
alter table public.notifications
  add constraint notifications_subject_table_check
  check (subject_table in ('orders', 'ticket_threads', 'transfers', 'vehicles', 'tasks', 'invoices', 'driver_documents'));
