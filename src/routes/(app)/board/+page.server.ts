import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { daysOf, periodOf, periodSchema, shiftPeriod } from '$lib/board/model';
import { isWorkingDay } from '$lib/domain/planning/calendar';
import { holdsRoleAt, type AppRole } from '$lib/domain/roles';
import { siteToday } from '../today/tasks.server';
import { boardPeople, boardTasks, boardTeams } from './board.server';
import type { PageServerLoad } from './$types';

/** Who moves cards; the server and the database enforce it, this only shapes the screen. */
const PLANNERS: AppRole[] = ['team_lead', 'site_manager', 'admin'];

export const load: PageServerLoad = async ({ locals, parent, url, depends }) => {
	depends('live:tasks', 'live:orders', 'live:teams', 'live:memberships');
	const { currentSite } = await parent();
	if (!currentSite) throw error(404, m.board_no_site());

	const today = (await locals.db((sql) => siteToday(sql, currentSite.id))) ?? new Date().toISOString().slice(0, 10);
	const asked = periodSchema.safeParse(url.searchParams.get('week'));
	const period = asked.success ? asked.data : periodOf(today);
	const week = daysOf(period);
	const days = week.filter((date) => isWorkingDay({ date }));
	const { teams, people, tasks } = await locals.db(async (sql) => ({
		teams: await boardTeams(sql, currentSite.id),
		people: await boardPeople(sql, currentSite.id),
		tasks: await boardTasks(sql, currentSite.id, week[0], week[6], getLocale())
	}));
	return {
		site: currentSite,
		today,
		period,
		previous: shiftPeriod(period, -1),
		next: shiftPeriod(period, 1),
		days,
		teams,
		people,
		tasks,
		canPlan: holdsRoleAt(locals.user!.roles, currentSite.id, PLANNERS)
	};
};
