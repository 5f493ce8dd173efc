import type { IncomingMessage } from 'node:http';

export declare const CLIENT_ADDRESS_HEADER: 'x-vigil-client-address';
export declare function parseTrustedProxies(value: string | undefined): (address: string, hop: number) => boolean;
export declare function normalizeForwarding(req: IncomingMessage, trust: (address: string, hop: number) => boolean): string;
