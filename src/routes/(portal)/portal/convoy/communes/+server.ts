import { communeSearchResponse } from '$lib/server/convoy/requests';
import type { RequestHandler } from './$types';

/** The portal calculator's autocomplete (the same public commune list as the staff one). */
export const GET: RequestHandler = ({ url }) => communeSearchResponse(url);
