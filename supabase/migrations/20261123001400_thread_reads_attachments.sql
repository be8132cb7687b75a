-- Ticket threads, continued: who read a thread up to when (read receipts, unread counts), files
-- attached to messages, and the organisation's response-time target. A thread remembers since
-- when a client waits for an answer, so overdue threads are one indexed comparison.
-- Sections: tables → indexes → enable RLS → grants → helpers → policies → triggers.

-- ─── tables ─────────────────────────────────────────────────────────────────────────────────
alter table public.organisations
  add column response_target_minutes integer not null default 240 check (response_target_minutes between 5 and 10080);

-- Whether a message was written by staff, set by a trigger (never by the writer): screens label
-- authors clients may not look up, and the thread's waiting time depends on it.
alter table public.ticket_messages add column by_staff boolean not null default false;

-- Set when a client writes and nobody of the staff has answered yet; cleared by a public reply.
alter table public.ticket_threads add column awaiting_since timestamptz;

-- site_id and client_account_id repeat the thread's, so policies need no join to decide.
create table public.thread_reads (
  id uuid primary key default gen_random_uuid(),
  thread_id uuid not null references public.ticket_threads (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade default auth.uid(),
  site_id uuid not null references public.sites (id),
  client_account_id uuid references public.client_accounts (id),
  last_read_at timestamptz not null default now(),
  unique (thread_id, user_id)
);

-- The bytes live in storage under storage_key; this row is what authorises reading them.
create table public.ticket_attachments (
  id uuid primary key default gen_random_uuid(),
  message_id uuid not null references public.ticket_messages (id) on delete cascade,
  thread_id uuid not null references public.ticket_threads (id) on delete cascade,
  site_id uuid not null references public.sites (id),
  client_account_id uuid references public.client_accounts (id),
  -- The message's own flag: an internal note's files are as hidden as the note.
  internal boolean not null default false,
  uploaded_by uuid not null references public.profiles (id) default auth.uid(),
  storage_key text not null unique check (length(storage_key) between 1 and 300),
  file_name text not null check (length(file_name) between 1 and 200),
  mime_type text not null check (length(mime_type) between 1 and 100),
  size_bytes integer not null check (size_bytes between 1 and 10485760),
  created_at timestamptz not null default now()
);

-- ─── indexes ─────────────────────────────────────────────────────────────────────────────────
create index thread_reads_user_id_idx on public.thread_reads (user_id);
create index thread_reads_site_id_idx on public.thread_reads (site_id);
create index thread_reads_client_account_id_idx on public.thread_reads (client_account_id);
create index ticket_attachments_message_id_idx on public.ticket_attachments (message_id);
create index ticket_attachments_thread_id_idx on public.ticket_attachments (thread_id);
create index ticket_attachments_site_id_idx on public.ticket_attachments (site_id);
create index ticket_attachments_client_account_id_idx on public.ticket_attachments (client_account_id);
create index ticket_threads_awaiting_idx on public.ticket_threads (site_id, awaiting_since) where awaiting_since is not null;

-- ─── enable RLS ──────────────────────────────────────────────────────────────────────────────
alter table public.thread_reads enable row level security;
alter table public.ticket_attachments enable row level security;

-- ─── grants ──────────────────────────────────────────────────────────────────────────────────
grant select, insert, update (last_read_at) on public.thread_reads to authenticated;
grant select, insert on public.ticket_attachments to authenticated;
grant select, insert, update, delete on public.thread_reads, public.ticket_attachments to service_role;

-- ─── helpers ─────────────────────────────────────────────────────────────────────────────────
create function private.message_by_staff() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  new.by_staff := exists (select 1 from public.memberships m where m.user_id = new.author_id and m.role <> 'driver');
  return new;
end
$$;

-- Keeps a thread's activity, status and waiting time in step with its messages. Clients may not
-- update threads, so this runs as the owner; internal notes change nothing a client can see.
create function private.thread_after_message() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  from_client boolean := not new.by_staff;
begin
  if new.internal then
    return null;
  end if;
  update public.ticket_threads t
     set last_message_at = new.created_at,
         status = case when from_client then 'open'::public.thread_status else t.status end,
         awaiting_since = case when from_client then coalesce(t.awaiting_since, new.created_at) else null end
   where t.id = new.thread_id;
  return null;
end
$$;

-- The staff a thread's writer may @mention: everyone working at the thread's site, shown only to
-- staff of that site (CSMs may not read memberships themselves).
create function private.thread_staff(thread uuid) returns table (id uuid, full_name text)
language sql stable security definer set search_path = ''
as $$
  select distinct p.id, p.full_name
  from public.ticket_threads t
  join public.sites s on s.id = t.site_id
  join public.memberships m on m.organisation_id = s.organisation_id and (m.site_id is null or m.site_id = s.id) and m.role <> 'driver'
  join public.profiles p on p.id = m.user_id
  where t.id = thread and t.site_id in (select private.staff_site_ids())
$$;
revoke all on function private.message_by_staff(), private.thread_after_message(), private.thread_staff(uuid) from public;
grant execute on function private.thread_staff(uuid) to authenticated, service_role;

-- ─── policies ────────────────────────────────────────────────────────────────────────────────
create policy "readers of a thread see its read receipts" on public.thread_reads
  for select to authenticated
  using (site_id in (select private.staff_site_ids()) or client_account_id in (select private.client_account_ids()));
-- The thread subquery runs under the writer's own policies: only a thread they read qualifies.
create policy "people record their own reading" on public.thread_reads
  for insert to authenticated
  with check (
    user_id = (select auth.uid())
    and thread_id in (select t.id from public.ticket_threads t
                      where t.site_id = thread_reads.site_id
                        and t.client_account_id is not distinct from thread_reads.client_account_id)
  );
create policy "people move their own reading on" on public.thread_reads
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

create policy "site staff read attachments" on public.ticket_attachments
  for select to authenticated using (site_id in (select private.staff_site_ids()));
create policy "clients read public attachments of their threads" on public.ticket_attachments
  for select to authenticated
  using (not internal and client_account_id in (select private.client_account_ids()));
-- A file joins a message its uploader wrote (and can read), with that message's routing and flag.
create policy "authors attach files to their messages" on public.ticket_attachments
  for insert to authenticated
  with check (
    uploaded_by = (select auth.uid())
    and message_id in (select m.id from public.ticket_messages m
                       where m.author_id = (select auth.uid())
                         and m.thread_id = ticket_attachments.thread_id
                         and m.site_id = ticket_attachments.site_id
                         and m.client_account_id is not distinct from ticket_attachments.client_account_id
                         and m.internal = ticket_attachments.internal)
  );

-- ─── triggers ────────────────────────────────────────────────────────────────────────────────
create trigger message_by_staff before insert on public.ticket_messages
  for each row execute function private.message_by_staff();
create trigger thread_after_message after insert on public.ticket_messages
  for each row execute function private.thread_after_message();

-- A message's own change stands for the bump it gives its thread (every screen showing a thread
-- also follows its messages), so that bump, made by the trigger above, is not captured twice.
drop trigger capture_change on public.ticket_threads;
create trigger capture_change after insert or update or delete on public.ticket_threads
  for each row when (pg_trigger_depth() < 1)
  execute function private.capture_change('site_id', 'client_account_id', '');

-- Read receipts go to thread rooms only (no site, account or person room): the fan-out resolves
-- their thread, and nobody needs them replayed after a disconnection.
create trigger capture_change after insert or update or delete on public.thread_reads
  for each row execute function private.capture_change('', '', '');
create trigger capture_change after insert or update or delete on public.ticket_attachments
  for each row execute function private.capture_change('site_id', 'client_account_id', '');
