/** What a bot does (BOT1): which write it sends next, and the buckets that cap how often. */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { DC_LABEL, type ClientToServerEvents, type Dc, type ServerToClientEvents } from '../protocol/index.ts';

export type BotSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const DEFAULT_SESSION_RATE = 50;
/** Posts a bot remembers to reply to, like or edit: the newest it has seen. */
export const KNOWN = 40;

/** One write a bot sends: an event and its payload, exactly as a browser would send it. */
export interface BotWrite {
  event: 'post:create' | 'post:edit' | 'post:like';
  payload: Record<string, unknown>;
}

export interface Bot {
  readonly socket: BotSocket;
  readonly id: string;
  readonly dc: Dc;
  readonly known: string[];
  readonly mine: string[];
}

export const remember = (list: string[], id: string) => void (!list.includes(id) && list.push(id) > KNOWN && list.shift());
export const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(Math.random() * items.length)];
const opId = () => `bot-${randomUUID()}`;

/** The caps, read when a fleet starts: BOT_MAX_RATE per session, twice it per process. */
export function botCaps(value = process.env.BOT_MAX_RATE): { perSession: number; perProcess: number } {
  const asked = Number(value ?? DEFAULT_SESSION_RATE);
  const perSession = Number.isFinite(asked) && asked > 0 ? asked : DEFAULT_SESSION_RATE;
  return { perSession, perProcess: 2 * perSession };
}

/** Tokens at `rate` per second, at most a tenth of a second's worth saved up. */
export class Bucket {
  private tokens = 0;
  private last = performance.now();
  constructor(public rate: number) {}
  take(wanted: number): number {
    const now = performance.now();
    this.tokens = Math.min(Math.max(1, this.rate / 10), this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    const granted = Math.max(0, Math.min(wanted, Math.floor(this.tokens)));
    this.tokens -= granted;
    return granted;
  }
}

/** Post 4 in 10, reply 2, like 3, edit their own 1: what a lively student does. */
export function randomWrite(bot: Bot): BotWrite {
  const roll = Math.random();
  const target = pick(bot.known);
  const own = pick(bot.mine);
  if (roll < 0.3 && target) return { event: 'post:like', payload: { opId: opId(), postId: target } };
  if (roll < 0.4 && own) return { event: 'post:edit', payload: { opId: opId(), postId: own, text: `Edited by a bot in ${DC_LABEL[bot.dc]}` } };
  if (roll < 0.6 && target) return { event: 'post:create', payload: { opId: opId(), parentId: target, text: `A bot in ${DC_LABEL[bot.dc]} replies` } };
  return { event: 'post:create', payload: { opId: opId(), parentId: null, text: `A bot in ${DC_LABEL[bot.dc]} posts` } };
}
