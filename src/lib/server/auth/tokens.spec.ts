import { describe, expect, it } from 'vitest';
import { readCookie } from './tokens';

describe('readCookie', () => {
	it('finds a cookie among others and decodes it', () => {
		expect(readCookie('a=1; relais_session=abc%3D%3D; b=2', 'relais_session')).toBe('abc==');
	});

	it('does not match a cookie whose name merely ends the same', () => {
		expect(readCookie('xrelais_session=evil', 'relais_session')).toBeUndefined();
		expect(readCookie(undefined, 'relais_session')).toBeUndefined();
	});
});
