/**
 * Joining a class as a student: resume with the stored token when there is one (same identity
 * and datacenter), else join by name. Shared by first load and every reconnect.
 */
import type { ErrorCode, JoinResult } from '../../server/protocol/wire';
import { request } from './socket';
import { readStored, removeStored, storageKeys, writeStored } from './storage';

export type JoinOutcome =
  | { kind: 'joined'; result: JoinResult }
  | { kind: 'need-name' }
  | { kind: 'error'; code: ErrorCode; message: string };

/** Errors that say nothing about the token itself: keep it for the next try. */
const KEEP_TOKEN_ON: readonly ErrorCode[] = ['internal', 'unknown_session', 'loading'];

const running = new Map<string, Promise<JoinOutcome>>();

/**
 * Joins `code`. Concurrent calls share one request, so a double mount or a reconnect racing
 * the first load can never create two participants for one person.
 */
export function joinClass(code: string): Promise<JoinOutcome> {
  const current = running.get(code);
  if (current) return current;
  const started = join(code).finally(() => running.delete(code));
  running.set(code, started);
  return started;
}

/** Remembers the name typed on this device for this class, then joins. */
export function joinClassAs(code: string, name: string): Promise<JoinOutcome> {
  writeStored('session', storageKeys.name(code), name.trim());
  return joinClass(code);
}

async function join(code: string): Promise<JoinOutcome> {
  const tokenKey = storageKeys.token(code);
  const token = readStored('local', tokenKey);
  if (token) {
    const resumed = await request('session:join', { code, token });
    if (resumed.ok) {
      writeStored('local', tokenKey, resumed.data.token);
      return { kind: 'joined', result: resumed.data };
    }
    if (KEEP_TOKEN_ON.includes(resumed.error.code)) return { kind: 'error', ...resumed.error };
    // The server no longer knows this token (e.g. a fresh server): join again by name.
    removeStored('local', tokenKey);
  }
  const name = readStored('session', storageKeys.name(code))?.trim();
  if (!name) return { kind: 'need-name' };
  const joined = await request('session:join', { code, name });
  if (!joined.ok) return { kind: 'error', ...joined.error };
  writeStored('local', tokenKey, joined.data.token);
  return { kind: 'joined', result: joined.data };
}
