import { loadNewThread, openFromForm } from '$lib/server/threads/new-thread';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadNewThread(event);

export const actions: Actions = { default: (event) => openFromForm(event, '/threads') };
