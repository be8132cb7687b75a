import { describe, expect, it } from 'vitest';
import { isUnfinished, occupiesCapacity, taskStatuses } from './task';

describe('isUnfinished', () => {
	it('holds for work still ahead and nothing else', () => {
		expect(taskStatuses.filter(isUnfinished)).toEqual(['todo', 'planned', 'in_progress']);
	});
});

describe('occupiesCapacity', () => {
	it('frees the slot of a cancelled task only, finished work having used the day', () => {
		expect(taskStatuses.filter((status) => !occupiesCapacity(status))).toEqual(['cancelled']);
	});
});
