/**
 * The chaos harness (REL9, REL10): students and an instructor on real socket.io-client sockets
 * that behave as the pages do (writes retried with the same op id after a re-join with the
 * token), a seeded PRNG that drives every choice, and the record the checker needs. The chaos
 * and crash tests share it; only how the server lives and dies differs.
 */
import { io as connect } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  type Ack,
  type ClassSnapshot,
  type Dc,
  type ErrorCode,
  type HealReportView,
  type LinkMode,
  type PostView,
  type StudentSnapshot,
} from '../../server/protocol/index.ts';
import { check, type CheckResult, type ClientOp } from './checker.ts';
import { wholeClassView, wholeReport, type Client } from './server.ts';

/** mulberry32: a tiny seeded PRNG, so a seed replays the same choices. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  /** A child generator, so each actor's choices do not depend on how the others interleave. */
  fork(): Rng {
    return new Rng(Math.floor(this.next() * 2 ** 32));
  }
  /** 32 hex digits, the shape of the page's op ids (app/lib/socket.ts newOpId). */
  opId(): string {
    let id = '';
    for (let i = 0; i < 4; i += 1) id += Math.floor(this.next() * 2 ** 32).toString(16).padStart(8, '0');
    return id;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Timing {
  /** How long one attempt waits for its ack (the page: 5 s). */
  attemptMs: number;
  /** How many times a write is sent, always with the same op id (the page: 3). */
  attempts: number;
  /** How long a write waits for the page to be back in its session (the page: 30 s). */
  reconnectWaitMs: number;
}

/** Shorter than the page's: the server is local, and a needless retry is harmless (same op id). */
export const FAST: Timing = { attemptMs: 600, attempts: 4, reconnectWaitMs: 5000 };
/** For a server that is killed and restarted: a re-join may wait for a whole restart. */
export const PATIENT: Timing = { attemptMs: 1500, attempts: 6, reconnectWaitMs: 20_000 };

function socketTo(url: string): Client {
  return connect(url, {
    auth: { protocol: PROTOCOL_VERSION },
    transports: ['websocket'],
    forceNew: true,
    reconnection: true,
    reconnectionDelay: 30,
    reconnectionDelayMax: 250,
    randomizationFactor: 0,
  });
}

function connected(socket: Client): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve) => socket.once('connect', () => resolve()));
}

type Answer<T> = Ack<T> | 'unanswered';

async function ask<T>(socket: Client, ms: number, send: (s: Client) => Promise<Ack<T>>): Promise<Answer<T>> {
  try {
    return await send(socket.timeout(ms));
  } catch {
    return 'unanswered';
  }
}

/** What every actor tallies: each error code answered, and what the checker needs. */
export class Record {
  readonly acked: ClientOp[] = [];
  readonly attempted: ClientOp[] = [];
  readonly errors = new Map<ErrorCode, number>();
  readonly reports = new Map<string, HealReportView>();
  drops = 0;
  retries = 0;

  error(code: ErrorCode): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  report(report: HealReportView | null): void {
    if (report) this.reports.set(JSON.stringify(report), report);
  }

  check(final: ClassSnapshot): CheckResult {
    return check({ acked: this.acked, attempted: this.attempted, final, reports: [...this.reports.values()] });
  }
}

/** The instructor's page: re-watches on every reconnect and retries each command until answered. */
export class Instructor {
  /** Report pages still being fetched after a heal's message. */
  private readonly paging: Promise<void>[] = [];

  private constructor(
    readonly socket: Client,
    readonly code: string,
    readonly secret: string,
    private readonly record: Record,
  ) {
    // The heal's message carries a sample of its report: the checker needs all of it.
    socket.on('class:healed', (snapshot) => {
      if (snapshot.lastHeal) this.paging.push(wholeReport(socket, snapshot.lastHeal).then((r) => record.report(r), () => {}));
    });
    socket.on('connect', () => void this.watch());
  }

  static async create(url: string, record: Record): Promise<Instructor> {
    const socket = socketTo(url);
    await connected(socket);
    const created = await socket.emitWithAck('session:create', {});
    if (!created.ok) throw new Error(`session:create: ${created.error.message}`);
    const instructor = new Instructor(socket, created.data.code, created.data.secret, record);
    await instructor.watch();
    return instructor;
  }

  /** The admin snapshot: both datacenters, the timeline and the last heal report. */
  async watch(): Promise<ClassSnapshot> {
    for (;;) {
      await connected(this.socket);
      const answer = await ask(this.socket, 2000, (s) => s.emitWithAck('admin:watch', { code: this.code, secret: this.secret }));
      if (answer !== 'unanswered' && answer.ok) {
        // The snapshot is a window with a sampled report: the checker needs every post and item.
        const view = await wholeClassView(this.socket, answer.data);
        if (view.lastHeal) this.record.report(await wholeReport(this.socket, view.lastHeal));
        return view;
      }
      if (answer !== 'unanswered') throw new Error(`admin:watch: ${answer.error.message}`);
    }
  }

  /** Sends an admin command until it is answered; a refusal fails the run (these never should be). */
  async command<T>(name: string, send: (s: Client) => Promise<Ack<T>>): Promise<T> {
    for (;;) {
      await connected(this.socket);
      const answer = await ask(this.socket, 2000, send);
      if (answer === 'unanswered') continue;
      if (!answer.ok) {
        if (answer.error.code === 'forbidden') {
          await this.watch(); // reconnected before the re-watch: not yet the instructor
          continue;
        }
        throw new Error(`${name} refused: ${answer.error.code}: ${answer.error.message}`);
      }
      return answer.data;
    }
  }

  partition(mode: LinkMode, slowLatencyMs?: number): Promise<unknown> {
    return this.command('admin:partition', (s) => s.emitWithAck('admin:partition', { mode, ...(slowLatencyMs === undefined ? {} : { slowLatencyMs }) }));
  }

  /** The final full heal: a cut, then the link up, so the heal delivers everything on the link. */
  async healAll(): Promise<ClassSnapshot> {
    await this.command('admin:consistency', (s) => s.emitWithAck('admin:consistency', { w: 1, r: 1 }));
    await this.partition('cut');
    await this.partition('up');
    const view = await this.watch();
    await Promise.all(this.paging.splice(0));
    return view;
  }

  close(): void {
    this.socket.io.reconnection(false);
    this.socket.disconnect();
  }
}

/** A student's page: joins by name once, re-joins with its token after every reconnect. */
export class Student {
  private ready = false;
  private readonly waiters = new Set<() => void>();
  private readonly feed = new Map<string, PostView>();
  private written = 0;
  id = '';
  dc: Dc = 'west';
  private token = '';

  private constructor(
    readonly name: string,
    readonly socket: Client,
    private readonly code: string,
    private readonly rng: Rng,
    private readonly record: Record,
    private readonly timing: Timing,
  ) {
    socket.on('disconnect', () => {
      this.ready = false;
    });
    socket.on('connect', () => {
      if (this.token) void this.rejoin();
    });
    socket.on('post:changed', ({ dc, post }) => {
      if (dc === this.dc) this.feed.set(post.id, post);
    });
  }

  static async join(url: string, code: string, name: string, rng: Rng, record: Record, timing: Timing): Promise<Student> {
    const socket = socketTo(url);
    const student = new Student(name, socket, code, rng, record, timing);
    await connected(socket);
    const joined = await socket.emitWithAck('session:join', { code, name });
    if (!joined.ok) throw new Error(`join ${name}: ${joined.error.message}`);
    student.token = joined.data.token;
    student.arrive(joined.data.snapshot);
    return student;
  }

  private arrive(snapshot: StudentSnapshot): void {
    this.id = snapshot.me.id;
    this.dc = snapshot.dc;
    this.feed.clear();
    for (const post of snapshot.posts) this.feed.set(post.id, post);
    this.ready = true;
    for (const wake of [...this.waiters]) wake();
  }

  /** As the page does on `connect`: resume with the token, then let waiting writes go. */
  /** In its session and connected: its writes go out now. */
  get joined(): boolean {
    return this.ready && this.socket.connected;
  }

  private async rejoin(): Promise<void> {
    while (this.socket.connected && !this.ready) {
      const answer = await ask(this.socket, this.timing.attemptMs, (s) => s.emitWithAck('session:join', { code: this.code, token: this.token }));
      if (answer === 'unanswered') continue;
      if (!answer.ok) throw new Error(`re-join ${this.name}: ${answer.error.code}: ${answer.error.message}`);
      this.arrive(answer.data.snapshot);
    }
  }

  private whenReady(): Promise<boolean> {
    if (this.ready && this.socket.connected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(ok);
      };
      const wake = () => done(true);
      const timer = setTimeout(() => done(false), this.timing.reconnectWaitMs);
      this.waiters.add(wake);
    });
  }

  /** A network drop: the transport dies (Socket.IO reconnects, maybe recovering the session), or the page goes away for a while. */
  async drop(kind: 'transport' | 'away', awayMs: number): Promise<void> {
    // One drop at a time: dropping a socket that is still reconnecting tests socket.io-client, not us.
    if (!(await this.whenReady())) return;
    this.record.drops += 1;
    if (kind === 'transport') {
      this.socket.io.engine.close();
      return;
    }
    this.socket.disconnect();
    await sleep(awayMs);
    this.socket.connect();
  }

  /** The page's write: wait for the session, send, and on no answer send again with the same op id. */
  private async write(op: ClientOp, send: (s: Client) => Promise<Ack<PostView>>): Promise<void> {
    for (let i = 0; i < this.timing.attempts; i += 1) {
      if (i > 0) this.record.retries += 1;
      if (!(await this.whenReady())) break;
      const answer = await ask(this.socket, this.timing.attemptMs, send);
      if (answer === 'unanswered') continue;
      if (answer.ok) {
        this.record.acked.push(op);
        if (answer.data.id) this.feed.set(answer.data.id, answer.data);
        return;
      }
      this.record.error(answer.error.code);
      // Sent between a reconnect and its re-join: the server did not know who we were. Same op id again.
      if (answer.error.code === 'not_joined') continue;
      return;
    }
    this.record.attempted.push(op);
  }

  /** One random write of the kinds a person makes, on what this student's datacenter shows. */
  async act(): Promise<void> {
    const visible = [...this.feed.values()].filter((p) => !p.deleted);
    const mine = visible.filter((p) => p.authorId === this.id && p.siblings === null);
    const editable = [...mine, ...visible.filter((p) => p.pinned && p.siblings === null)];
    const liked = visible.filter((p) => p.likedBy.includes(this.id));
    const roll = this.rng.next();
    const opId = this.rng.opId();
    this.written += 1;
    const text = `${this.name} #${this.written} ${opId.slice(0, 6)}`;
    const base = { opId, author: this.id, dc: this.dc };
    if (roll < 0.05) {
      await this.roam();
    } else if (roll < 0.25 && editable.length > 0) {
      // The pinned post is the one everybody shares: edit it often, so both sides write it in a split.
      const pinned = editable.find((p) => p.pinned);
      const post = pinned && this.rng.chance(0.4) ? pinned : this.rng.pick(editable);
      await this.write({ ...base, kind: 'edit', postId: post.id, text }, (s) => s.emitWithAck('post:edit', { opId, postId: post.id, text }));
    } else if (roll < 0.33 && mine.length > 0) {
      const post = this.rng.pick(mine);
      await this.write({ ...base, kind: 'delete', postId: post.id, text: null }, (s) => s.emitWithAck('post:delete', { opId, postId: post.id }));
    } else if (roll < 0.53 && visible.length > 0) {
      const pinned = visible.find((p) => p.pinned && !p.likedBy.includes(this.id));
      const post = pinned && this.rng.chance(0.3) ? pinned : this.rng.pick(visible);
      await this.write({ ...base, kind: 'like', postId: post.id, text: null }, (s) => s.emitWithAck('post:like', { opId, postId: post.id }));
    } else if (roll < 0.63 && liked.length > 0) {
      const post = this.rng.pick(liked);
      await this.write({ ...base, kind: 'unlike', postId: post.id, text: null }, (s) => s.emitWithAck('post:unlike', { opId, postId: post.id }));
    } else {
      const parents = visible.filter((p) => p.parentId === null && !p.pinned);
      const parentId = parents.length > 0 && this.rng.chance(0.3) ? this.rng.pick(parents).id : null;
      await this.write({ ...base, kind: 'create', postId: opId, text }, (s) => s.emitWithAck('post:create', { opId, text, parentId }));
    }
  }

  /** A student moves to the other datacenter (a phone roaming): the same author then writes on both sides. */
  private async roam(): Promise<void> {
    if (!(await this.whenReady())) return;
    const answer = await ask(this.socket, this.timing.attemptMs, (s) => s.emitWithAck('me:switch', {}));
    if (answer === 'unanswered') return; // the next re-join tells where we are
    if (answer.ok) this.arrive(answer.data);
    else this.record.error(answer.error.code);
  }

  close(): void {
    this.socket.io.reconnection(false);
    this.socket.disconnect();
  }
}

/** Joins `count` students (balanced across West and East by the server). */
export async function joinStudents(url: string, code: string, count: number, rng: Rng, record: Record, timing: Timing): Promise<Student[]> {
  const students: Student[] = [];
  for (let i = 0; i < count; i += 1) students.push(await Student.join(url, code, `s${i}`, rng.fork(), record, timing));
  return students;
}

export interface ChaosOptions {
  seed: number;
  students: number;
  /** Writes each student makes. */
  writesEach: number;
  /** Share of the students dropped and reconnected while writing. */
  dropShare: number;
  timing?: Timing;
}

export interface ChaosOutcome {
  result: CheckResult;
  record: Record;
  final: ClassSnapshot;
  /** The instructor's actions, for a failing seed's message. */
  actions: string[];
}

const CUTS: readonly LinkMode[] = ['cut', 'cut', 'cut', 'cut-west-to-east', 'cut-east-to-west'];
const MODES: readonly LinkMode[] = [...CUTS, 'up', 'slow'];

/** One random instructor action during a split: the link's mode, the strategy, a skew, the link's delay, or the quorum. */
async function randomSetting(instructor: Instructor, own: Rng, actions: string[]): Promise<void> {
  const roll = own.next();
  if (roll < 0.2) {
    const mode = own.pick(MODES);
    actions.push(`partition ${mode}`);
    await instructor.partition(mode, mode === 'slow' ? 500 : undefined);
  } else if (roll < 0.5) {
    const strategy = own.pick(['lww', 'merge', 'human'] as const);
    actions.push(`strategy ${strategy}`);
    await instructor.command('admin:strategy', (s) => s.emitWithAck('admin:strategy', { strategy }));
  } else if (roll < 0.75) {
    const dc = own.pick(['west', 'east'] as const);
    const skewMs = own.int(-3000, 3000);
    actions.push(`skew ${dc} ${skewMs}`);
    await instructor.command('admin:skew', (s) => s.emitWithAck('admin:skew', { dc, skewMs }));
  } else if (roll < 0.9) {
    const link = { latencyMs: own.int(0, 15), jitterMs: own.int(0, 15) };
    actions.push(`link ${link.latencyMs}+${link.jitterMs}`);
    await instructor.command('admin:link', (s) => s.emitWithAck('admin:link', link));
  } else {
    const quorum = own.pick([{ w: 1, r: 1 }, { w: 3, r: 3 }]);
    actions.push(`quorum W=${quorum.w} R=${quorum.r}`);
    await instructor.command('admin:consistency', (s) => s.emitWithAck('admin:consistency', quorum));
  }
}

/**
 * One seeded chaos run (REL9) against a running server: students write with retries while some
 * of them drop; the instructor splits, cuts one way, heals, changes strategy, skew, link and
 * quorum at random; then a final full heal, and the checker judges the admin snapshot.
 */
export async function runChaos(url: string, options: ChaosOptions): Promise<ChaosOutcome> {
  const rng = new Rng(options.seed);
  const timing = options.timing ?? FAST;
  const record = new Record();
  const instructor = await Instructor.create(url, record);
  const actions: string[] = [];
  const students = await joinStudents(url, instructor.code, options.students, rng, record, timing);
  try {
    const latencyMs = rng.int(0, 15);
    const jitterMs = rng.int(0, 15);
    actions.push(`link ${latencyMs}+${jitterMs}`);
    await instructor.command('admin:link', (s) => s.emitWithAck('admin:link', { latencyMs, jitterMs }));

    let writing = true;
    const dropped = new Set<Student>();
    while (dropped.size < Math.round(options.students * options.dropShare)) dropped.add(rng.pick(students));
    const writers = students.map(async (student) => {
      const own = rng.fork();
      for (let i = 0; i < options.writesEach; i += 1) {
        await sleep(own.int(0, 25));
        await student.act();
      }
    });
    const droppers = [...dropped].map(async (student) => {
      const own = rng.fork();
      for (let i = own.int(1, 2); i > 0 && writing; i -= 1) {
        await sleep(own.int(0, 30 * options.writesEach));
        if (writing) await student.drop(own.chance(0.5) ? 'transport' : 'away', own.int(10, 200));
      }
    });
    const chaos = (async () => {
      const own = rng.fork();
      while (writing) {
        // A split the students write through, sometimes one way, sometimes changing direction...
        const cut = own.pick(CUTS);
        actions.push(`partition ${cut}`);
        await instructor.partition(cut);
        for (let n = own.int(1, 4); n > 0 && writing; n -= 1) {
          await sleep(own.int(10, 60));
          await randomSetting(instructor, own, actions);
        }
        // ...then a heal (sometimes only to a slow link), and a while with the link up.
        const heal = own.chance(0.8) ? 'up' : 'slow';
        actions.push(`partition ${heal}`);
        await instructor.partition(heal, heal === 'slow' ? 500 : undefined);
        await sleep(own.int(5, 40));
      }
    })();
    await Promise.all(writers);
    writing = false;
    await Promise.all([chaos, ...droppers]);
    actions.push('final heal');
    const final = await instructor.healAll();
    return { result: record.check(final), record, final, actions };
  } finally {
    for (const student of students) student.close();
    instructor.close();
  }
}

/** A one-line summary of a run: what was acknowledged, refused, retried and dropped. */
export function summary(record: Record): string {
  const refused = [...record.errors].map(([code, n]) => `${code} ${n}`).join(', ') || 'none';
  return `${record.acked.length} acked, ${record.attempted.length} unanswered, ${record.retries} retries, ${record.drops} drops, ${record.reports.size} heal reports; refused: ${refused}`;
}

/**
 * Every student writes at its own pace (ms between writes, from `pace`) until stopped, at most `cap`
 * writes each: the cap keeps the whole history inside the timeline's window (500 ops) for the checker.
 */
export function keepWriting(students: readonly Student[], rng: Rng, pace: [number, number], cap: number): { stop(): Promise<void> } {
  let writing = true;
  const writers = students.map(async (student) => {
    const own = rng.fork();
    for (let n = 0; writing && n < cap; n += 1) {
      await sleep(own.int(pace[0], pace[1]));
      await student.act();
    }
  });
  return {
    async stop() {
      writing = false;
      await Promise.all(writers);
    },
  };
}
