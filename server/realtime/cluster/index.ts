/**
 * Cluster mode (several server processes behind one address on one PostgreSQL database): Socket.IO's
 * PostgreSQL adapter carries every `io.to(room).emit` to the sockets of every process, each session is
 * served by the one process holding its lease (owners.ts), and an event that reaches another process
 * is forwarded to that owner (forward.ts). Rate limits (SEC5) are counted by the process that runs the
 * handler, the session's owner, per process: two processes each allow a full budget.
 */
import { createAdapter } from '@socket.io/postgres-adapter';
import pg from 'pg';
import type { Leases } from '../../persistence/pg-store.ts';
import type { SessionRecord } from '../../persistence/store.ts';
import type { Ack } from '../../protocol/index.ts';
import type { AppSocket, Hub } from '../hub.ts';
import { Forwarder } from './forward.ts';
import { Owners } from './owners.ts';

/** A lease lasts this long unrenewed: an owner's death is noticed after it (renewed every third of it). */
export const LEASE_TTL_MS = 3000;

/** The adapter's table for messages over PostgreSQL's 8,000-byte NOTIFY limit (its README's schema). */
const ATTACHMENTS = 'socket_io_attachments';

export interface ClusterDeps {
  leases: Leases;
  /** The adapter's connections (LISTEN/NOTIFY and its attachments table); see `adapterPool`. */
  pool: pg.Pool;
  ttlMs?: number;
}

export interface Cluster {
  /** Sends an event for a session owned elsewhere to its owner: the owner's answer, or null to handle it here. */
  forward(socket: AppSocket, event: string, payload: unknown): Promise<Ack<unknown> | null>;
  /** A socket is going away: its session's owner, elsewhere, counts it offline. */
  left(socket: AppSocket): void;
  /** This process's write was refused by the lease's fence: it stops serving the session. */
  lost(sessionId: string): void;
  /** A session this process created: it takes the lease at once. */
  created(record: SessionRecord): Promise<void>;
  /** Gives up the leases (graceful stop); the adapter's pool is the caller's to end. */
  close(): Promise<void>;
}

/** A pool for the adapter, with its attachments table created (two processes starting together may race: both fine). */
export async function adapterPool(url: string): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle connection that breaks must not crash the process as an unhandled 'error'.
  pool.on('error', () => {});
  try {
    await pool.query(`CREATE TABLE IF NOT EXISTS ${ATTACHMENTS} (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)`);
  } catch (error) {
    // 23505/42P07: the other process created it at the same moment.
    const code = (error as { code?: unknown }).code;
    if (code !== '23505' && code !== '42P07') throw error;
  }
  return pool;
}

export function startCluster(hub: Hub, deps: ClusterDeps, handlersOn: (socket: AppSocket) => void): Cluster {
  hub.io.adapter(
    createAdapter(deps.pool, {
      tableName: ATTACHMENTS,
      // A dead process stops counting after 3 s: fetchSockets and broadcasts with acks stop waiting for it.
      heartbeatInterval: 1000,
      heartbeatTimeout: 3000,
      errorHandler: (error) => hub.log(`postgres adapter: ${error.message}`),
    }),
  );
  const owners = new Owners(hub, deps.leases, deps.ttlMs ?? LEASE_TTL_MS);
  const forwarder = new Forwarder(hub, owners, handlersOn);
  return {
    forward: (socket, event, payload) => forwarder.forward(socket, event, payload),
    left: (socket) => forwarder.left(socket),
    lost: (sessionId) => owners.drop(sessionId),
    created: (record) => owners.created(record),
    close: () => owners.close(),
  };
}
