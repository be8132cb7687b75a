import {
	BarController,
	BarElement,
	CategoryScale,
	Chart,
	Legend,
	LinearScale,
	LineController,
	LineElement,
	PointElement,
	Tooltip,
	type ChartOptions,
	type ChartType
} from 'chart.js';
import type { KpiVariant } from './types';

// Only what the panels draw: bars and lines on category × linear axes, keeping the bundle small.
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

export { Chart };

/** Hex, not the theme's oklch: Chart.js derives hover colours with a parser that only reads rgb/hex. */
export const palette = {
	screen: { blue: '#2563eb', green: '#059669', amber: '#d97706', red: '#e11d48', slate: '#94a3b8', violet: '#7c3aed' },
	wall: { blue: '#60a5fa', green: '#34d399', amber: '#fbbf24', red: '#fb7185', slate: '#94a3b8', violet: '#a78bfa' }
} as const;

/** The options every panel chart shares: readable ticks for the variant, no animation on a wall. */
export function baseOptions<T extends ChartType>(variant: KpiVariant): ChartOptions<T> {
	const wall = variant === 'wall';
	const ink = wall ? '#cbd5e1' : '#475569';
	const grid = wall ? '#334155' : '#e2e8f0';
	const font = { size: wall ? 22 : 12, family: "Inter, ui-sans-serif, system-ui, sans-serif" };
	return {
		responsive: true,
		maintainAspectRatio: false,
		animation: wall ? false : { duration: 250 },
		// A wall has no pointer: hover tooltips would never show, and the figures are printed anyway.
		events: wall ? [] : undefined,
		plugins: {
			legend: { position: 'bottom', labels: { color: ink, font, boxWidth: wall ? 28 : 10, boxHeight: wall ? 28 : 10 } },
			tooltip: { enabled: !wall }
		},
		scales: {
			x: { ticks: { color: ink, font, maxRotation: 0, autoSkipPadding: wall ? 24 : 8 }, grid: { display: false }, border: { color: grid } },
			y: { beginAtZero: true, ticks: { color: ink, font, precision: 0 }, grid: { color: grid }, border: { display: false } }
		}
	} as ChartOptions<T>;
}
