import { m } from '$lib/paraglide/messages';
import type { Step } from './progress';

/** A vehicle's step in words, and its colour tone, as the portal's pages show them. */
export function stepLabel(step: Step): string {
	switch (step.kind) {
		case 'expected':
			return m.step_expected();
		case 'ready':
			return m.step_ready();
		case 'in_transit':
			return m.step_in_transit();
		case 'delivered':
			return m.step_delivered();
		case 'in_service':
			return m.step_in_service({ service: step.service });
		case 'waiting':
			return m.step_waiting({ service: step.service });
	}
}

export const stepTone = (step: Step): string =>
	({ expected: 'neutral', waiting: 'planned', in_service: 'progress', ready: 'done', in_transit: 'transit', delivered: 'validated' })[step.kind];
