import type { Section } from '$lib/domain/roles';
import CalendarCheck from 'lucide-svelte/icons/calendar-check';
import CalendarRange from 'lucide-svelte/icons/calendar-range';
import CarFront from 'lucide-svelte/icons/car-front';
import ClipboardCheck from 'lucide-svelte/icons/clipboard-check';
import ClipboardList from 'lucide-svelte/icons/clipboard-list';
import Building2 from 'lucide-svelte/icons/building-2';
import Gauge from 'lucide-svelte/icons/gauge';
import Handshake from 'lucide-svelte/icons/handshake';
import IdCard from 'lucide-svelte/icons/id-card';
import MapIcon from 'lucide-svelte/icons/map';
import MessagesSquare from 'lucide-svelte/icons/messages-square';
import Receipt from 'lucide-svelte/icons/receipt';
import Route from 'lucide-svelte/icons/route';
import Tag from 'lucide-svelte/icons/tag';
import Truck from 'lucide-svelte/icons/truck';
import type { IconComponent } from '../icons';

export interface NavItem {
	section: Section;
	href: string;
	icon: IconComponent;
}

/**
 * Where each section lives, for the sections whose screens exist. A section the role may use
 * but that is not built yet is simply absent, so it never leads to a dead end; add its entry
 * here when its route ships and it appears for every role that has it.
 */
const routes: Partial<Record<Section, Omit<NavItem, 'section'>>> = {
	today: { href: '/today', icon: CalendarCheck },
	board: { href: '/board', icon: CalendarRange },
	yard: { href: '/yard', icon: MapIcon },
	orders: { href: '/orders', icon: ClipboardCheck },
	invoices: { href: '/invoices', icon: Receipt },
	prices: { href: '/prices', icon: Tag },
	stock: { href: '/stock', icon: CarFront },
	transfers: { href: '/transfers', icon: Truck },
	drivers: { href: '/drivers', icon: IdCard },
	convoy: { href: '/convoy', icon: Route },
	crm: { href: '/crm', icon: Handshake },
	sites: { href: '/admin/sites', icon: Building2 },
	tickets: { href: '/inbox', icon: MessagesSquare },
	kpi: { href: '/kpi', icon: Gauge },
	portal: { href: '/portal', icon: ClipboardList }
};

/** The navigation of a person: their sections, in their order, that have a screen. */
export function navItems(sections: readonly Section[]): NavItem[] {
	return sections.flatMap((section) => {
		const route = routes[section];
		return route ? [{ section, ...route }] : [];
	});
}

/** Is `href` the current page or one of its sub-pages? */
export function isCurrent(pathname: string, href: string): boolean {
	return pathname === href || pathname.startsWith(`${href}/`);
}
