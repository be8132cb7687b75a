/** The stock list's vocabularies, shared by the server query and the page's filters. */
export const energies = ['petrol', 'diesel', 'hybrid', 'plugin_hybrid', 'electric', 'lpg'] as const;
export type Energy = (typeof energies)[number];

export const stockStatuses = ['in_stock', 'reserved', 'in_transit', 'sold', 'expected', 'on_site', 'in_service', 'ready', 'delivered'] as const;
export type StockStatus = (typeof stockStatuses)[number];

export const stockSorts = ['days', 'price', 'margin', 'make', 'site', 'mileage'] as const;
export type StockSort = (typeof stockSorts)[number];
