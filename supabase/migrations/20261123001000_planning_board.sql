-- The collaborative planning board. Each site's plan for one ISO week is a Yjs document: the
-- server keeps its binary updates in order (board_updates) and folds them into a snapshot from
-- time to time (board_documents.snapshot). The document is the plan; tasks carry its projection
-- (team, day, start, order within the lane) so every other screen and report reads the plan
-- from plain columns. Only team leads, site managers and admins move cards: the server refuses
-- their updates before anything is applied, and the database refuses the projection as well.
-- Sections: tables → indexes → enable RLS → grants → helpers → policies → triggers.

-- ─── tables ──────────────────────────────────────────────────────────────────────────────────
-- Which services a team performs, by the zone they happen in; null: every service of the site.
alter table public.teams add column zone_kinds public.zone_kind[];

alter table public.tasks
  -- Start within the day, in minutes after midnight, set in the board's day view.
  add column planned_start_minutes integer check (planned_start_minutes between 0 and 1439),
  -- Position within the lane and day: a fractional index, compared byte by byte.
  add column board_rank text collate "C" check (length(board_rank) between 1 and 64);

create table public.board_documents (
  id uuid primary key default gen_random_uuid(),
  site_id uuid not null references public.sites (id) on delete cascade,
  -- ISO week, e.g. 2026-W48.
  period text not null check (period ~ '^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$'),
  -- Yjs state holding every update up to snapshot_seq.
  snapshot bytea not null,
  snapshot_seq bigint not null default 0,
  last_seq bigint not null default 0 check (last_seq >= snapshot_seq),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (site_id, period)
);

create table public.board_updates (
  document_id uuid not null references public.board_documents (id) on delete cascade,
  seq bigint not null check (seq > 0),
  -- Copied from the document for the policies.
  site_id uuid not null references public.sites (id) on delete cascade,
  payload bytea not null check (length(payload) <= 1048576),
  -- Null for the server's own corrections (a card moved out of this week by another board).
  author_id uuid references public.profiles (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  primary key (document_id, seq)
);

-- ─── indexes ─────────────────────────────────────────────────────────────────────────────────
create index board_updates_site_id_idx on public.board_updates (site_id);
create index tasks_site_planned_on_idx on public.tasks (site_id, planned_on);

-- ─── enable RLS ──────────────────────────────────────────────────────────────────────────────
alter table public.board_documents enable row level security;
alter table public.board_updates enable row level security;

-- ─── grants ──────────────────────────────────────────────────────────────────────────────────
-- Documents are created by the server (service role); planners only compact them.
grant select, update on public.board_documents to authenticated;
grant select, insert, delete on public.board_updates to authenticated;
grant select, insert, update, delete on public.board_documents, public.board_updates to service_role;

-- ─── helpers ─────────────────────────────────────────────────────────────────────────────────
-- Who changes the plan of a site: its team leads and site managers, and the organisation's admins.
create function private.plans_site(site uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select private.has_site_role(site, '{team_lead,site_manager,admin}')
$$;
revoke all on function private.plans_site(uuid) from public;
grant execute on function private.plans_site(uuid) to authenticated, service_role;

-- ─── policies ────────────────────────────────────────────────────────────────────────────────
-- Everyone working at the site reads the board (operators and directors read-only).
create policy "site staff read boards" on public.board_documents
  for select to authenticated using (site_id in (select private.staff_site_ids()));
create policy "planners compact boards" on public.board_documents
  for update to authenticated
  using ((select private.plans_site(site_id)))
  with check ((select private.plans_site(site_id)));

create policy "site staff read board updates" on public.board_updates
  for select to authenticated using (site_id in (select private.staff_site_ids()));
create policy "planners write board updates" on public.board_updates
  for insert to authenticated
  with check (
    (select private.plans_site(site_id))
    and author_id = (select auth.uid())
    and document_id in (select d.id from public.board_documents d where d.site_id = board_updates.site_id)
  );
create policy "planners compact board updates" on public.board_updates
  for delete to authenticated using ((select private.plans_site(site_id)));

-- ─── triggers ────────────────────────────────────────────────────────────────────────────────
-- Operators update their tasks (start, finish, comment) but only planners move them on the
-- plan. Columns are not covered by policies, so a trigger guards them for signed-in people;
-- system work (service_role, migrations, seed) is not concerned.
create function private.guard_task_planning() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if coalesce((select auth.role()), '') <> 'authenticated' then
    return new;
  end if;
  if (new.team_id, new.assignee_id, new.planned_on, new.planned_start_minutes, new.board_rank)
     is distinct from (old.team_id, old.assignee_id, old.planned_on, old.planned_start_minutes, old.board_rank)
     and not private.plans_site(new.site_id) then
    raise exception 'only team leads, site managers and admins change the plan'
      using errcode = '42501';
  end if;
  return new;
end
$$;
create trigger guard_task_planning before update on public.tasks
  for each row execute function private.guard_task_planning();
