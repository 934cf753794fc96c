/**
 * Bots (BOT1): simulated students, so a class of five still sees divergence. Each bot is a
 * socket.io-client connection to this very server: it joins, posts, replies, edits and likes
 * through exactly the path a person's browser takes (route()'s validation, the guards, the core,
 * the store, the broadcast). Their writes are ordinary logged writes; the fleet itself is not
 * logged, so a restart stops every bot (their participants stay, offline).
 *
 * The server caps their total rate: `BOT_MAX_RATE` writes per second per session (50), twice that
 * for the whole process.
 */
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { io as connect } from 'socket.io-client';
import { BOT_LIMITS, DC_LABEL, PROTOCOL_VERSION, type Ack, type BotsView, type Dc, type PostView } from '../protocol/index.ts';
import { Bucket, KNOWN, botCaps, pick, randomWrite, remember, type Bot, type BotSocket, type BotWrite } from './bot-behaviour.ts';
import { DATACENTERS } from '../sim/index.ts';
import { rooms, type Hub } from './hub.ts';
import type { SessionRuntime } from './session-runtime.ts';

const TICK_MS = 100;

/** The process's budget, shared by every session's fleet. */
let processBucket: Bucket | null = null;

/** One session's bots. */
export class BotFleet {
  private readonly bots: Bot[] = [];
  private timer: NodeJS.Timeout | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly bucket: Bucket;
  private ratePerSec = 0;
  private perDc = 0;
  private sent = 0;
  private refusals = 0;
  /** Replaced by tests to send a given write (a bad one, say) instead of a random one. */
  compose: (bot: Bot) => BotWrite = randomWrite;
  readonly errors = new Map<string, number>();

  constructor(
    private readonly hub: Hub,
    private readonly runtime: SessionRuntime,
    private readonly caps = botCaps(),
  ) {
    this.bucket = new Bucket(0);
    processBucket ??= new Bucket(caps.perProcess);
    processBucket.rate = caps.perProcess;
  }

  view(): BotsView {
    const { timer, perDc, bots, ratePerSec, caps, sent, refusals } = this;
    return { running: timer !== null, perDc, bots: bots.length, ratePerSec, capPerSec: caps.perSession, writes: sent, refused: refusals };
  }

  /** The bots' client sockets: each is what a person's browser is to the server. */
  get sockets(): readonly BotSocket[] {
    return this.bots.map((b) => b.socket);
  }

  /** Grows or shrinks to `perDc` bots in each datacenter and writes at `ratePerSec` (capped); one change at a time. */
  start(perDc: number, ratePerSec: number): Promise<BotsView> {
    const next = this.queue.then(() => this.resize(perDc, ratePerSec));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async resize(perDc: number, ratePerSec: number): Promise<BotsView> {
    this.perDc = Math.min(perDc, BOT_LIMITS.perDc, Math.floor(BOT_LIMITS.perSession / DATACENTERS.length));
    this.ratePerSec = ratePerSec;
    this.bucket.rate = Math.min(ratePerSec, this.caps.perSession);
    for (const dc of DATACENTERS) {
      const here = this.bots.filter((b) => b.dc === dc);
      for (const extra of here.slice(this.perDc)) this.remove(extra);
      for (let n = here.length; n < this.perDc; n += 1) this.bots.push(await this.join(dc, this.bots.length + 1));
    }
    this.timer ??= setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
    return this.changed();
  }

  /** One button: every bot disconnects and the writing stops. */
  stop(): BotsView {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const bot of [...this.bots]) this.remove(bot);
    return this.changed();
  }

  private changed(): BotsView {
    const view = this.view();
    this.hub.io.to(rooms.class(this.runtime.record.id)).emit('bots:changed', view);
    return view;
  }

  private remove(bot: Bot): void {
    bot.socket.disconnect();
    this.bots.splice(this.bots.indexOf(bot), 1);
  }

  /** A bot joins like a person (session:join), then the instructor seats it in its datacenter (FO1). */
  private async join(dc: Dc, n: number): Promise<Bot> {
    const address = this.hub.io.httpServer.address() as AddressInfo;
    const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const socket: BotSocket = connect(`http://${host}:${address.port}`, { auth: { protocol: PROTOCOL_VERSION }, transports: ['websocket'], forceNew: true, reconnection: false });
    const answer = await socket.emitWithAck('session:join', { code: this.runtime.code, name: `Bot ${n} (${DC_LABEL[dc]})` });
    if (!answer.ok) throw new Error(`a bot could not join: ${answer.error.message}`);
    const joined = answer.data;
    const id = joined.snapshot.me.id;
    this.runtime.bots.add(id);
    // Its join was broadcast before the server knew it for a bot: the roster is told again.
    this.hub.io.to(rooms.class(this.runtime.record.id)).emit('participant:joined', { ...joined.snapshot.me, online: this.runtime.isOnline(id), bot: true });
    const bot: Bot = { socket, id, dc, known: joined.snapshot.posts.slice(-KNOWN).map((p) => p.id), mine: [] };
    socket.on('post:changed', ({ post }: { post: PostView }) => remember(bot.known, post.id));
    if (joined.snapshot.me.home !== dc) {
      const moved = await this.runtime.execute({ type: 'participant.move', participantId: id, to: dc }, `bot-move-${randomUUID()}`);
      if (!moved.ok) throw new Error(moved.error.message);
    }
    return bot;
  }

  private tick(): void {
    if (this.bots.length === 0 || this.runtime.ended) return;
    const wanted = this.bucket.take(Number.MAX_SAFE_INTEGER);
    const granted = processBucket?.take(wanted) ?? 0;
    for (let i = 0; i < granted; i += 1) {
      const bot = pick(this.bots);
      if (!bot) return;
      const write = this.compose(bot);
      this.sent += 1;
      void emit(bot.socket, write).then((ack) => {
        if (ack.ok) {
          remember(bot.known, ack.data.id);
          if (write.event === 'post:create') remember(bot.mine, ack.data.id);
        } else {
          this.refusals += 1;
          this.errors.set(ack.error.code, (this.errors.get(ack.error.code) ?? 0) + 1);
        }
      });
    }
  }
}

/** Sends a write through the bot's own socket; a lost connection is a refusal, never a throw. */
async function emit(socket: BotSocket, write: BotWrite): Promise<Ack<PostView>> {
  // A bot's write may be malformed on purpose (the tests'): it is sent untyped, as any client could.
  const untyped = socket.timeout(5000) as unknown as { emitWithAck(event: string, payload: unknown): Promise<Ack<PostView>> };
  try {
    return await untyped.emitWithAck(write.event, write.payload);
  } catch {
    return { ok: false, error: { code: 'internal', message: 'no answer' } };
  }
}

const fleets = new WeakMap<SessionRuntime, BotFleet>();

/** The session's fleet, made on first use. */
export function fleetOf(hub: Hub, runtime: SessionRuntime): BotFleet {
  let fleet = fleets.get(runtime);
  if (!fleet) {
    fleet = new BotFleet(hub, runtime);
    fleets.set(runtime, fleet);
  }
  return fleet;
}

/** The session's fleet if it has one (tests watch it). */
export function botsOf(runtime: SessionRuntime): BotFleet | undefined {
  return fleets.get(runtime);
}

/** Stops every fleet (the server is closing). */
export function stopBots(hub: Hub): void {
  for (const runtime of hub.byId.values()) fleets.get(runtime)?.stop();
}
