import type Check from 'lucide-svelte/icons/check';

/** The type of any Lucide icon component (they all take the same props). */
export type IconComponent = typeof Check;
