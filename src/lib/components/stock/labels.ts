import { m } from '$lib/paraglide/messages';

import type { Energy } from './options';

const energyLabels: Record<Energy, () => string> = {
	petrol: m.stock_energy_petrol,
	diesel: m.stock_energy_diesel,
	hybrid: m.stock_energy_hybrid,
	plugin_hybrid: m.stock_energy_plugin_hybrid,
	electric: m.stock_energy_electric,
	lpg: m.stock_energy_lpg
};

export const energyLabel = (energy: Energy): string => energyLabels[energy]();
