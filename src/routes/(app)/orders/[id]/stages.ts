import { m } from '$lib/paraglide/messages';
import type { Tone } from '$lib/components/labels';
import type { WorkflowStage } from '$lib/domain/orders/workflow';

/** Words and colour family of each workflow stage, in the reader's language. */
export const stageLabel: Record<WorkflowStage, () => string> = {
	received: m.workflow_stage_received,
	planned: m.workflow_stage_planned,
	on_site: m.workflow_stage_on_site,
	in_service: m.workflow_stage_in_service,
	ready: m.workflow_stage_ready,
	delivered: m.workflow_stage_delivered,
	invoiced: m.workflow_stage_invoiced
};

export const stageTone: Record<WorkflowStage, Tone> = {
	received: 'neutral',
	planned: 'planned',
	on_site: 'transit',
	in_service: 'progress',
	ready: 'done',
	delivered: 'validated',
	invoiced: 'validated'
};
