/** Latency summary of one run, in milliseconds, from every delivery's latency. */
export interface Latencies {
	deliveries: number;
	p50_ms: number;
	p95_ms: number;
	p99_ms: number;
}

export function summarise(samples: number[]): Latencies {
	const sorted = Float64Array.from(samples).sort();
	const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
	const round = (n: number) => Math.round(n * 10) / 10;
	return { deliveries: sorted.length, p50_ms: round(at(0.5)), p95_ms: round(at(0.95)), p99_ms: round(at(0.99)) };
}
