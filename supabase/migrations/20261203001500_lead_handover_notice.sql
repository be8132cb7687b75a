-- A lead a manager hands to someone by hand tells that person, as an assignment by the rules
-- does (src/lib/server/crm/assign.ts), in their language. A trigger, so the notice commits
-- with the handover: the manager may not write other people's notifications themselves.
create function private.notify_lead_handover() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.notifications (user_id, kind, title, body, link)
  select p.id, 'lead_assigned',
         case when p.locale = 'en' then 'Lead handed to you: ' else 'Prospect confié : ' end
           || concat_ws(' ', c.first_name, c.last_name),
         case when p.locale = 'en'
              then 'By ' || coalesce(b.full_name, 'a manager') || ' — please get back to them quickly: the response time is tracked.'
              else 'Par ' || coalesce(b.full_name, 'un responsable') || ' — recontactez-le rapidement : le délai de réponse est suivi.' end,
         '/crm/leads?lead=' || new.id
    from public.profiles p
    join public.customers c on c.id = new.customer_id
    left join public.profiles b on b.id = (select auth.uid())
   where p.id = new.assigned_to;
  return null;
end $$;

-- Only a change of person by hand ('manual'), and not someone taking a lead themselves.
create trigger notify_lead_handover after update of assigned_to on public.leads
  for each row when (new.person_rule = 'manual' and new.assigned_to is distinct from old.assigned_to
                     and new.assigned_to is distinct from auth.uid())
  execute function private.notify_lead_handover();
