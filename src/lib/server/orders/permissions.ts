import { holdsRoleAt, type AppRole } from '$lib/domain/roles';
import type { SessionUser } from '$lib/server/auth/session-user';

/** Who takes orders at a site for any client (the orders insert policy says the same; it decides). */
const ORDER_TAKERS: AppRole[] = ['csm', 'site_manager', 'admin'];

/** Whether to offer the order form at a site: a convenience only, row-level security enforces. */
export function mayTakeOrders(user: SessionUser, siteId: string): boolean {
	return holdsRoleAt(user.roles, siteId, ORDER_TAKERS);
}
