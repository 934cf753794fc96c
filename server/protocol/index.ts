/**
 * The server's one door to the protocol: everything in ./wire.ts (what the browser also sees) and
 * the zod schemas (./schemas.ts) the server validates every inbound payload with. Pages import
 * ./wire.ts instead, never this module.
 */
export * from './wire.ts';
export { schemas } from './schemas.ts';
