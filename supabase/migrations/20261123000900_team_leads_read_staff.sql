-- Team leads plan by operator as well as by team (planning board lanes): they read who works at
-- their site and in which role, as site managers do. Changing memberships stays with managers.
-- Sections: policies.

-- ─── policies ────────────────────────────────────────────────────────────────────────────────
alter policy "managers read memberships of their sites" on public.memberships
  using (
    organisation_id = (select private.organisation_id())
    and ((select private.has_org_role('{admin,director}')) or private.has_site_role(site_id, '{site_manager,team_lead}'))
  );
