import type { Sql } from '$lib/server/db/pool';
import type { DocumentKind } from '$lib/domain/transfers/documents';

export interface DriverChoice {
	id: string;
	/** The person a transfer names; null for a partner's driver who does not sign in. */
	profileId: string | null;
	fullName: string;
	kind: 'internal' | 'partner';
	partnerCompany: string | null;
	/** Mandatory documents missing or expired today: empty when the driver may be assigned. */
	missing: DocumentKind[];
}

/**
 * The organisation's active drivers as the signed-in manager sees them, each with what keeps
 * them from being assigned, for the assignment form to show before the database refuses.
 */
export async function driverChoices(sql: Sql): Promise<DriverChoice[]> {
	const { rows } = await sql.query<DriverChoice>(
		`select d.id, d.profile_id as "profileId", d.full_name as "fullName", d.kind, d.partner_company as "partnerCompany",
		        private.driver_compliance(d.id) as missing
		 from public.drivers d where d.active
		 order by cardinality(private.driver_compliance(d.id)) = 0 desc, d.full_name`
	);
	return rows;
}
