import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GatewayRequest {
	authorization: string | undefined;
	body: unknown;
}

/**
 * A stand-in for the SMS SaaS on a local port: records each request and answers with the next
 * scripted status (200 with an id once the script runs out).
 */
export async function startSmsGateway(script: number[] = []) {
	const requests: GatewayRequest[] = [];
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			requests.push({ authorization: req.headers.authorization, body: JSON.parse(raw) });
			const status = script.shift() ?? 200;
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(status === 200 ? JSON.stringify({ id: `sms-${requests.length}` }) : JSON.stringify({ error: `status ${status}` }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/messages`,
		requests,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
