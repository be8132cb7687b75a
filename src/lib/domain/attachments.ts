/**
 * What may be attached to a ticket message: photos of a car, a PDF report, a text or CSV export;
 * nothing a browser would run. Shared by the server's validation and the file pickers.
 */
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf', 'text/plain', 'text/csv'] as const;
export const MAX_ATTACHMENTS = 5;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
