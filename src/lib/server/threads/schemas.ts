import { z } from 'zod';
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from '../../domain/attachments';

/** Inputs of the thread service, validated at every boundary (forms, JSON, tests). */

// z.guid(), not z.uuid(): the demo data's ids are md5-derived, not RFC 4122 versioned.
export const id = z.guid();

export const subjectTypes = ['task', 'order', 'vehicle', 'transfer', 'invoice_line'] as const;
export type SubjectType = (typeof subjectTypes)[number];
export const statuses = ['open', 'pending', 'resolved'] as const;
export type ThreadStatus = (typeof statuses)[number];


const body = z.string().trim().min(1).max(10_000);

export const fileSchema = z.object({
	name: z.string().trim().min(1).max(200),
	type: z.enum(ATTACHMENT_TYPES),
	size: z.number().int().min(1).max(MAX_ATTACHMENT_BYTES),
	bytes: z.instanceof(Uint8Array)
});
export type UploadedFile = z.infer<typeof fileSchema>;

export const openThreadSchema = z.strictObject({
	subjectType: z.enum(subjectTypes),
	subjectId: id,
	title: z.string().trim().min(1).max(200),
	body,
	files: z.array(fileSchema).max(MAX_ATTACHMENTS).default([])
});
export type OpenThreadInput = z.input<typeof openThreadSchema>;

export const postMessageSchema = z.strictObject({
	threadId: id,
	body,
	internal: z.boolean().default(false),
	mentions: z.array(id).max(20).default([]),
	files: z.array(fileSchema).max(MAX_ATTACHMENTS).default([])
});
export type PostMessageInput = z.input<typeof postMessageSchema>;

export const updateThreadSchema = z
	.strictObject({
		threadId: id,
		status: z.enum(statuses).optional(),
		// null unassigns.
		assigneeId: id.nullable().optional()
	})
	.refine((v) => v.status !== undefined || v.assigneeId !== undefined, { message: 'status or assigneeId', path: ['status'] });
export type UpdateThreadInput = z.input<typeof updateThreadSchema>;

export const inboxFilterSchema = z.strictObject({
	siteId: id.optional(),
	status: z.enum([...statuses, 'active', 'all']).default('active'),
	// 'me', 'none' or a person's id.
	assignee: z.union([z.enum(['me', 'none']), id]).optional(),
	clientAccountId: id.optional(),
	overdue: z.boolean().default(false)
});
export type InboxFilter = z.input<typeof inboxFilterSchema>;

/** Reads a thread id from route params or query strings. */
export const threadIdSchema = id;
