/**
 * Counts access changes (memberships, client memberships) per person. Room checks read the
 * database and then join rooms; a revocation processed in between would be missed by both
 * sides (the fan-out only sees sockets already connected), so a check that saw the count move
 * while it ran starts over.
 */
export class AccessEpochs {
	private readonly counts = new Map<string, number>();

	bump(userId: string): void {
		this.counts.set(userId, (this.counts.get(userId) ?? 0) + 1);
	}

	/** Runs `check` until no access change for `userId` happened while it ran. */
	async stable<T>(userId: string, check: () => Promise<T>): Promise<T> {
		for (let attempt = 0; attempt < 5; attempt++) {
			const before = this.counts.get(userId);
			const result = await check();
			if (this.counts.get(userId) === before) return result;
		}
		throw new Error('access kept changing during the check');
	}
}
