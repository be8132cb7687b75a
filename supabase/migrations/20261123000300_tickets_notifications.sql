-- Ticket threads attached to an object, their messages (with staff-only internal notes), and
-- per-user notifications. Sections: types → tables → indexes → enable RLS → grants → policies.

-- ─── types ──────────────────────────────────────────────────────────────────────────────────
create type public.thread_status as enum ('open', 'pending', 'resolved');
create type public.thread_subject as enum ('task', 'invoice_line', 'order', 'vehicle', 'transfer');

-- ─── tables ─────────────────────────────────────────────────────────────────────────────────
create table public.ticket_threads (
  id uuid primary key default gen_random_uuid(),
  site_id uuid not null references public.sites (id),
  client_account_id uuid references public.client_accounts (id),
  subject_type public.thread_subject not null,
  subject_id uuid not null,
  title text not null check (length(title) between 1 and 200),
  status public.thread_status not null default 'open',
  assignee_id uuid references public.profiles (id) on delete set null,
  created_by uuid references public.profiles (id) default auth.uid(),
  created_at timestamptz not null default now(),
  last_message_at timestamptz not null default now()
);

create table public.ticket_messages (
  id uuid primary key default gen_random_uuid(),
  thread_id uuid not null references public.ticket_threads (id) on delete cascade,
  site_id uuid not null references public.sites (id),
  client_account_id uuid references public.client_accounts (id),
  author_id uuid not null references public.profiles (id) default auth.uid(),
  body text not null check (length(body) between 1 and 10000),
  -- Staff-only note: never selectable by, nor pushed to, a client.
  internal boolean not null default false,
  created_at timestamptz not null default now()
);

create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id) on delete cascade,
  kind text not null,
  title text not null,
  body text,
  link text,
  read_at timestamptz,
  created_at timestamptz not null default now()
);

-- ─── indexes ─────────────────────────────────────────────────────────────────────────────────
create index ticket_threads_site_id_idx on public.ticket_threads (site_id);
create index ticket_threads_client_account_id_idx on public.ticket_threads (client_account_id);
create index ticket_threads_subject_idx on public.ticket_threads (subject_type, subject_id);
create index ticket_messages_thread_id_idx on public.ticket_messages (thread_id, created_at);
create index ticket_messages_site_id_idx on public.ticket_messages (site_id);
create index ticket_messages_client_account_id_idx on public.ticket_messages (client_account_id);
create index notifications_user_id_idx on public.notifications (user_id, created_at desc);

-- ─── enable RLS ──────────────────────────────────────────────────────────────────────────────
alter table public.ticket_threads enable row level security;
alter table public.ticket_messages enable row level security;
alter table public.notifications enable row level security;

-- ─── grants ──────────────────────────────────────────────────────────────────────────────────
grant select, insert, update, delete on public.ticket_threads to authenticated, service_role;
grant select, insert on public.ticket_messages to authenticated;
grant select, insert, update, delete on public.ticket_messages, public.notifications to service_role;
-- Notifications are written by the system; people read them and mark them read.
grant select, update (read_at), delete on public.notifications to authenticated;

-- ─── policies ────────────────────────────────────────────────────────────────────────────────
create policy "site staff read threads" on public.ticket_threads
  for select to authenticated using (site_id in (select private.staff_site_ids()));
create policy "clients read their threads" on public.ticket_threads
  for select to authenticated using (client_account_id in (select private.client_account_ids()));
create policy "site staff open threads" on public.ticket_threads
  for insert to authenticated with check (site_id in (select private.staff_site_ids()));
create policy "clients open threads on their account" on public.ticket_threads
  for insert to authenticated
  with check (
    client_account_id in (select private.client_account_ids())
    and site_id in (select s.id from public.sites s where s.organisation_id = (select private.organisation_id()))
  );
create policy "site staff update threads" on public.ticket_threads
  for update to authenticated
  using (site_id in (select private.staff_site_ids()))
  with check (site_id in (select private.staff_site_ids()));
create policy "admins delete threads" on public.ticket_threads
  for delete to authenticated using (private.has_site_role(site_id, '{admin}'));

create policy "site staff read messages" on public.ticket_messages
  for select to authenticated using (site_id in (select private.staff_site_ids()));
create policy "clients read public messages of their threads" on public.ticket_messages
  for select to authenticated
  using (not internal and client_account_id in (select private.client_account_ids()));
create policy "site staff write messages" on public.ticket_messages
  for insert to authenticated
  with check (
    author_id = (select auth.uid())
    and site_id in (select private.staff_site_ids())
    and thread_id in (select t.id from public.ticket_threads t where t.site_id = ticket_messages.site_id)
  );
create policy "clients write public messages on their threads" on public.ticket_messages
  for insert to authenticated
  with check (
    author_id = (select auth.uid())
    and not internal
    and client_account_id in (select private.client_account_ids())
    and thread_id in (select t.id from public.ticket_threads t
                      where t.client_account_id = ticket_messages.client_account_id
                        and t.site_id = ticket_messages.site_id)
  );

create policy "people read their notifications" on public.notifications
  for select to authenticated using (user_id = (select auth.uid()));
create policy "people mark their notifications read" on public.notifications
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy "people clear their notifications" on public.notifications
  for delete to authenticated using (user_id = (select auth.uid()));
