import { communeSearchResponse } from '$lib/server/convoy/requests';
import type { RequestHandler } from './$types';

/** The calculator's autocomplete: `?q=lyon` → communes, the largest first. */
export const GET: RequestHandler = ({ url }) => communeSearchResponse(url);
