-- Lead assignment (src/lib/server/crm/assign.ts) and escalation (src/lib/server/crm/escalation.ts).
--
-- Decisions:
-- - Assigning a lead ranks the candidate sales people by their median response over 30 days,
--   their open leads and their latest assignment. These two indexes keep that one query to
--   index-only reads per person (a few thousand leads each), however long the history.
-- - The response delay before escalation lives in organisations.settings.lead_response_minutes;
--   organisations are updated by admins only, so directors set this one value through a
--   function that checks their role.

create index leads_response_idx on public.leads (assigned_to, assigned_at) include (first_response_at)
  where first_response_at is not null;
create index leads_open_idx on public.leads (assigned_to) where stage not in ('delivered', 'lost');

create function public.set_lead_response_minutes(p_minutes integer) returns void
language plpgsql security definer set search_path = ''
as $$
begin
  if not private.has_org_role(array['director', 'admin']::public.app_role[]) then
    raise exception 'only directors and admins set the response delay' using errcode = '42501';
  end if;
  if p_minutes is null or p_minutes < 5 or p_minutes > 10080 then
    raise exception 'response delay out of range' using errcode = '22023';
  end if;
  update public.organisations o
  set settings = o.settings || jsonb_build_object('lead_response_minutes', p_minutes)
  where o.id = (select private.organisation_id());
end
$$;
revoke all on function public.set_lead_response_minutes(integer) from public;
grant execute on function public.set_lead_response_minutes(integer) to authenticated, service_role;
