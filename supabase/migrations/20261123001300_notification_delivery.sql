-- Notification delivery (issue 6): what each person wants to receive, kind by kind and channel
-- by channel; the browsers they subscribed for web push; and the queue of emails, pushes and
-- SMS the worker sends, at most once per notification and channel, retried with back-off.
--   * Notifications now name the object they are about, so the worker checks again, as the
--     recipient, that they may still see it before anything leaves the building.
--   * `in_app = false`: the row only carries what other channels send; the bell skips it.
--   * The queue is the service's: people never write it, and only the organisation's admins read
--     its failures (to act on a wrong address or phone number).
-- Sections: tables → indexes → enable RLS → grants → helpers → policies → triggers.

-- ─── tables ─────────────────────────────────────────────────────────────────────────────────
alter table public.notifications
  add column subject_table text check (subject_table in ('orders', 'ticket_threads', 'transfers', 'vehicles', 'tasks')),
  add column subject_id uuid,
  add column in_app boolean not null default true,
  add constraint notifications_subject_complete check ((subject_table is null) = (subject_id is null));

create table public.notification_preferences (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  kind text not null check (kind in ('order_created', 'order_ready', 'ticket_reply', 'ticket_mention', 'import_finished',
                                     'invoice_overdue', 'driver_document_expiring', 'transfer_status')),
  in_app boolean not null,
  email boolean not null,
  push boolean not null,
  sms boolean not null,
  updated_at timestamptz not null default now(),
  unique (user_id, kind)
);

create table public.push_subscriptions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  endpoint text not null unique check (endpoint ~ '^https://' and length(endpoint) <= 2000),
  p256dh text not null check (length(p256dh) between 1 and 200),
  auth text not null check (length(auth) between 1 and 100),
  created_at timestamptz not null default now()
);

create table public.notification_deliveries (
  id uuid primary key default gen_random_uuid(),
  notification_id uuid not null references public.notifications (id) on delete cascade,
  -- Copied from the notification by a trigger: the admins' policy reads them without a join
  -- through the recipient's own notification policy.
  user_id uuid not null references public.profiles (id) on delete cascade,
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  kind text not null,
  channel text not null check (channel in ('email', 'push', 'sms')),
  -- queued (first try or retrying), sent, failed (dead after the last attempt), cancelled
  -- (the recipient may no longer see the object).
  status text not null default 'queued' check (status in ('queued', 'sent', 'failed', 'cancelled')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  last_error text,
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (notification_id, channel),
  check ((status = 'sent') = (sent_at is not null))
);

-- ─── indexes ─────────────────────────────────────────────────────────────────────────────────
create index push_subscriptions_user_id_idx on public.push_subscriptions (user_id);
-- The worker's claim: due rows of the queue only.
create index notification_deliveries_due_idx on public.notification_deliveries (next_attempt_at) where status = 'queued';
create index notification_deliveries_organisation_id_idx on public.notification_deliveries (organisation_id, updated_at desc);
create index notification_deliveries_user_id_idx on public.notification_deliveries (user_id);
-- notification_preferences (user_id, kind) is indexed by its unique constraint.

-- ─── enable RLS ──────────────────────────────────────────────────────────────────────────────
alter table public.notification_preferences enable row level security;
alter table public.push_subscriptions enable row level security;
alter table public.notification_deliveries enable row level security;

-- ─── grants ──────────────────────────────────────────────────────────────────────────────────
grant select, insert, update, delete on public.notification_preferences, public.push_subscriptions to authenticated, service_role;
grant select on public.notification_deliveries to authenticated;
grant select, insert, update, delete on public.notification_deliveries to service_role;

-- ─── helpers ─────────────────────────────────────────────────────────────────────────────────
-- A delivery belongs to its notification's person and organisation, whatever the writer said.
create function private.fill_delivery() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  select n.user_id, n.kind, p.organisation_id into new.user_id, new.kind, new.organisation_id
  from public.notifications n join public.profiles p on p.id = n.user_id
  where n.id = new.notification_id;
  return new;
end
$$;
-- A browser's push endpoint belongs to whoever subscribes it last: the person signing in on a
-- shared browser takes it over, so the previous person's notifications stop appearing there.
-- Knowing the endpoint means holding the browser's subscription (it is unguessable).
create function private.take_push_endpoint(endpoint text) returns void
language sql volatile security definer set search_path = ''
as $$
  delete from public.push_subscriptions s where s.endpoint = take_push_endpoint.endpoint and s.user_id <> (select auth.uid())
$$;

revoke all on function private.fill_delivery(), private.take_push_endpoint(text) from public;
grant execute on function private.take_push_endpoint(text) to authenticated;

-- ─── policies ────────────────────────────────────────────────────────────────────────────────
create policy "people read their notification preferences" on public.notification_preferences
  for select to authenticated using (user_id = (select auth.uid()));
create policy "people set their notification preferences" on public.notification_preferences
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy "people change their notification preferences" on public.notification_preferences
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy "people reset their notification preferences" on public.notification_preferences
  for delete to authenticated using (user_id = (select auth.uid()));

create policy "people read their push subscriptions" on public.push_subscriptions
  for select to authenticated using (user_id = (select auth.uid()));
create policy "people subscribe their browsers" on public.push_subscriptions
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy "people renew their push subscriptions" on public.push_subscriptions
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy "people unsubscribe their browsers" on public.push_subscriptions
  for delete to authenticated using (user_id = (select auth.uid()));

-- Failures only (dead, or retrying after an error): what an admin can act on.
create policy "admins read failing deliveries of their organisation" on public.notification_deliveries
  for select to authenticated
  using (
    organisation_id = (select private.organisation_id())
    and (select private.has_org_role('{admin}'))
    and (status = 'failed' or (status = 'queued' and last_error is not null))
  );

-- ─── triggers ────────────────────────────────────────────────────────────────────────────────
create trigger fill_delivery before insert on public.notification_deliveries
  for each row execute function private.fill_delivery();
