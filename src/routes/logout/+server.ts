import { redirect } from '@sveltejs/kit';
import { clearSessionCookies } from '$lib/server/auth/cookies';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = ({ cookies }) => {
	clearSessionCookies(cookies);
	throw redirect(303, '/login');
};
