/**
 * Drives the pure core in tests: a fluent wrapper over step() that fails loudly on refusals, and the
 * one fuzz harness every property test over the core uses (random actions, their interpreter,
 * the convergence check, and a runner that honours FUZZ_RUNS / FUZZ_SEED and prints how to replay).
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import {
  DATACENTERS,
  LINK_MODES,
  PINNED_POST_ID,
  STRATEGIES,
  createInitialState,
  divergence,
  inFlightMessages,
  replay,
  snapshotOf,
  step,
  type Command,
  type DcId,
  type LinkMode,
  type Op,
  type Post,
  type SimEvent,
  type SimState,
  type Strategy,
} from '../../server/sim/index.ts';

/** A replica's posts as plain data, sorted by id, likes included: for comparing two replicas. */
export function plainPosts(state: SimState, dc: DcId): [string, Omit<Post, 'likes'> & { likes: [string, unknown][] }][] {
  const byKey = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return [...state.replicas[dc].posts.entries()].sort(byKey).map(([id, post]) => [id, { ...post, likes: [...post.likes.entries()].sort(byKey) }]);
}

/** The posts a replica holds, in its own order. */
export function postsIn(state: SimState, dc: DcId): Post[] {
  return [...state.replicas[dc].posts.values()];
}

/**
 * One session on the pure core, the way the server runs it: commands at a clock the test moves,
 * an accepted-command log that replays to the same state, and random actions acted out.
 */
export class SimDriver {
  state: SimState;
  now: number;
  /** The accepted commands, as the server stores them (ticks are never logged). */
  readonly log: { at: number; command: Command }[] = [];
  /** Why the last attempt was refused. */
  refused = '';
  /** Op ids are `<opPrefix>-<n>`: a driver continuing another's state takes its own prefix, so its writes are new ops. */
  opPrefix = 'op';
  private opCounter = 0;

  /** Every command tried, accepted or refused, with its time (a log the core may refuse parts of). */
  readonly tried: { at: number; command: Command }[] = [];
  /** Called with the state after every accepted step, ticks included. */
  observe: ((state: SimState) => void) | null = null;
  private readonly opIds: string[] = [];

  constructor(
    readonly seed = 1,
    start = 1_000_000,
    state: SimState = createInitialState(seed),
  ) {
    this.state = state;
    this.now = start;
  }

  /** Applies a command that must be accepted; records it in the log like the server would. */
  run(command: Command): SimEvent[] {
    const events = this.attempt(command);
    if (!events) throw new Error(`refused ${command.type}: ${this.refused}`);
    return events;
  }

  /** Applies a command if the core accepts it (its events), or leaves everything as it was (null). */
  attempt(command: Command): SimEvent[] | null {
    const result = step(this.state, command, { now: this.now });
    if (command.type !== 'tick') this.tried.push({ at: this.now, command });
    if (!result.ok) {
      this.refused = result.error.message;
      return null;
    }
    this.state = result.state;
    if (command.type !== 'tick') this.log.push({ at: this.now, command });
    if ('opId' in command) this.opIds.push(command.opId);
    this.observe?.(this.state);
    return [...result.events];
  }

  /** Applies a command that must be refused, and checks nothing changed. */
  refuse(command: Command): string {
    const result = step(this.state, command, { now: this.now });
    expect(result.ok).toBe(false);
    return result.ok ? '' : result.error.code;
  }

  advance(ms: number): SimEvent[] {
    this.now += ms;
    return this.run({ type: 'tick' });
  }

  /** Delivers everything on the link. */
  flush(): void {
    this.advance(60_000);
  }

  opId(): string {
    this.opCounter += 1;
    return `${this.opPrefix}-${String(this.opCounter).padStart(8, '0')}`;
  }

  join(participantId: string, name = participantId): void {
    this.run({ type: 'participant.join', participantId, name });
  }

  post(participantId: string, text: string, parentId: string | null = null): string {
    const opId = this.opId();
    this.run({ type: 'post.create', opId, participantId, parentId, text });
    return opId;
  }

  edit(participantId: string, postId: string, text: string): void {
    this.run({ type: 'post.edit', opId: this.opId(), participantId, postId, text });
  }

  like(participantId: string, postId: string): void {
    this.run({ type: 'post.like', opId: this.opId(), participantId, postId });
  }

  post_(dc: 'west' | 'east', id: string) {
    return this.state.replicas[dc].posts.get(id);
  }

  /**
   * Does what a random action stands for, given the state now: the command it became (null when it
   * stands for nothing here) and the core's events (null when refused: a refusal is part of the game).
   */
  act(action: Action): { command: Command | null; events: SimEvent[] | null } {
    if (action.kind === 'wait') {
      this.now += action.ms;
      return { command: null, events: action.tick ? this.run({ type: 'tick' }) : [] };
    }
    const command = this.commandOf(action);
    return { command, events: command && this.attempt(command) };
  }

  /** Acts out every action in order. */
  actAll(actions: Iterable<Action>): void {
    for (const action of actions) this.act(action);
  }

  private home(who: string): DcId {
    return this.state.participants.get(who)?.home ?? 'west';
  }

  /** The posts a write may target on `dc`, in id order: created ones (deleted included: writes to them are refused). */
  private targets(dc: DcId, conflicted = false): string[] {
    const ids: string[] = [];
    for (const [id, p] of this.state.replicas[dc].posts) if (p.created && (!conflicted || p.siblings)) ids.push(id);
    return ids.sort();
  }

  private commandOf(a: Exclude<Action, { kind: 'wait' }>): Command | null {
    switch (a.kind) {
      case 'mode':
        return { type: 'link.mode', mode: a.mode };
      case 'link':
        return { type: 'link.configure', latencyMs: a.latencyMs, jitterMs: a.jitterMs };
      case 'strategy':
        return { type: 'strategy.set', strategy: a.strategy };
      case 'skew':
        return { type: 'clock.skew', dc: a.dc, skewMs: a.ms };
      case 'switch':
        return { type: 'participant.switch', participantId: a.who };
      case 'reset':
        return { type: 'session.reset' };
      case 'rewind': {
        const last = this.state.rewind.lastHeal;
        return last && { type: 'heal.rewind', healIndex: last.index };
      }
      default:
        return this.writeOf(a);
    }
  }

  /**
   * A write: its target picked among what the writer's datacenter holds (West's for the author or
   * the instructor, unless `on` says); `on` moves the writer there first (FO1).
   */
  private writeOf(a: Write): Command {
    const from = a.on ?? (a.who === null || a.who === AUTHOR ? 'west' : this.home(a.who));
    const pool = a.kind === 'resolve' && this.targets(from, true).length > 0 ? this.targets(from, true) : this.targets(from);
    const postId = typeof a.target === 'string' ? a.target : (pool[a.target % Math.max(1, pool.length)] ?? PINNED_POST_ID);
    const author = this.state.replicas[from].posts.get(postId)?.author;
    const who = a.who !== AUTHOR ? a.who : postId !== PINNED_POST_ID && author && this.state.participants.has(author) ? author : this.firstOn(from);
    if (who !== null && a.on && this.home(who) !== a.on) this.attempt({ type: 'participant.move', participantId: who, to: a.on });
    const dc = who === null ? from : this.home(who);
    const opId = this.opId();
    switch (a.kind) {
      case 'post':
        return { type: 'post.create', opId, participantId: who ?? '', parentId: a.reply ? postId : null, text: `post ${opId}` };
      case 'edit':
        return { type: 'post.edit', opId, participantId: who ?? '', postId, text: `${dc} ${opId}` };
      case 'delete':
        return { type: 'post.delete', opId, participantId: who ?? '', postId };
      case 'like':
      case 'unlike':
        return { type: a.kind === 'like' ? 'post.like' : 'post.unlike', opId, participantId: who ?? '', postId };
      case 'retry':
        // An op id already applied, sent again, maybe for another kind of write (REL2, SEC9).
        return { type: 'post.like', opId: this.opIds[Number(a.target) % Math.max(1, this.opIds.length)] ?? opId, participantId: who ?? '', postId };
      case 'resolve':
        return { type: 'conflict.resolve', opId, participantId: who, ...(who === null ? { dc } : {}), postId, keep: a.keep };
    }
  }

  private firstOn(dc: DcId): string {
    for (const [id, p] of this.state.participants) if (p.home === dc) return id;
    return this.state.participants.keySeq().first() ?? '';
  }

  /**
   * Heals, delivers everything, and checks the invariant every strategy promises: West and East
   * hold the same posts, nothing is left on the link, both applied the same ops, the meter reads zero.
   */
  expectConverged(): void {
    if (this.state.link.mode !== 'up') this.run({ type: 'link.mode', mode: 'up' });
    this.flush();
    expectReplicasEqual(this.state);
    expect(inFlightMessages(this.state)).toEqual([]);
    expect([...this.state.replicas.east.applied].sort()).toEqual([...this.state.replicas.west.applied].sort());
    expect(divergence(this.state)).toEqual({ onlyWest: 0, onlyEast: 0, changedOnBoth: 0, likesDiffer: 0 });
  }

  /** A restart replays the log to the same state (REL1, PERF1): compared once both delivered what is due. */
  expectReplays(): void {
    const at = this.now + 100_000;
    expect(settledJson(replay(this.seed, this.log), at)).toBe(settledJson(this.state, at));
  }
}

/** LWW1 written out again, apart from the core's code: the maximum by (wall, delete, West first). */
export function lwwWinner(ops: readonly Op[]): Op {
  const key = (op: Op) => [op.wall, op.kind === 'delete' ? 1 : 0, op.origin === 'west' ? 1 : 0] as const;
  return ops.reduce((best, op) => {
    const [a, b] = [key(op), key(best)];
    return a[0] > b[0] || (a[0] === b[0] && (a[1] > b[1] || (a[1] === b[1] && a[2] > b[2]))) ? op : best;
  });
}

/** West and East hold the same posts, likes included. */
export function expectReplicasEqual(state: SimState): void {
  expect(plainPosts(state, 'east')).toEqual(plainPosts(state, 'west'));
}

/** The state as JSON once everything due by `at` is delivered (a tick is never logged, so two runs may differ only there). */
export function settledJson(state: SimState, at: number): string {
  const r = step(state, { type: 'tick' }, { now: at });
  return JSON.stringify(snapshotOf(r.ok ? r.state : state));
}

/** Wendy and Walt in West, Ed and Eve in East, a shared post by Wendy, then the link is cut. */
export function splitClass(strategy: Strategy, seed = 1): { sim: SimDriver; shared: string } {
  const sim = new SimDriver(seed);
  for (const id of ['wendy', 'ed', 'walt', 'eve']) sim.join(id);
  sim.run({ type: 'link.configure', latencyMs: 100, jitterMs: 0 });
  sim.run({ type: 'strategy.set', strategy });
  const shared = sim.post('wendy', 'original');
  sim.flush();
  sim.run({ type: 'link.mode', mode: 'cut' });
  return { sim, shared };
}

// ---- random actions ----------------------------------------------------------------------------

/**
 * Lists of random actions, half of them short (up to 8) and half up to `maxLength`: short ones hit
 * the ties of a session's first writes (equal Lamport times, equal clocks), long ones what builds up.
 */
export function actionLists<A>(actions: fc.Arbitrary<A>, { minLength = 0, maxLength }: { minLength?: number; maxLength: number }): fc.Arbitrary<A[]> {
  return fc.oneof(fc.array(actions, { minLength, maxLength: Math.max(minLength, 8) }), fc.array(actions, { minLength, maxLength }));
}

/** Stands for the target post's author in a write (an edit or delete that is theirs to make). */
export const AUTHOR = '@author';

/**
 * One thing a class or an instructor does, as data a counterexample prints. A write's `target` is an
 * index into the posts the writer's datacenter holds (or a post id); `on` makes it happen in that
 * datacenter, the writer moved there first; `who: null` is the instructor.
 */
export type Action =
  | { kind: 'post'; who: string; reply: boolean; target: number | string; on?: DcId }
  | { kind: 'edit' | 'delete' | 'like' | 'unlike' | 'retry'; who: string; target: number | string; on?: DcId }
  | { kind: 'resolve'; who: string | null; target: number | string; keep: DcId | 'both'; on?: DcId }
  | { kind: 'wait'; ms: number; tick: boolean }
  | { kind: 'mode'; mode: LinkMode }
  | { kind: 'link'; latencyMs: number; jitterMs: number }
  | { kind: 'strategy'; strategy: Strategy }
  | { kind: 'skew'; dc: DcId; ms: number }
  | { kind: 'switch'; who: string }
  | { kind: 'rewind' }
  | { kind: 'reset' };
export type ActionKind = Action['kind'];
/** The actions that write to a post. */
export type Write = Extract<Action, { target: unknown }>;

/** What a suite's random actions look like: how often each kind comes, who acts, and the ranges. */
export interface ActionProfile {
  readonly weights: Partial<Record<ActionKind, number>>;
  readonly people: readonly string[];
  /** Edits and deletes by the target's author (else by a random person, often refused), or sometimes by either. */
  readonly authors?: boolean | 'sometimes';
  /** Writes happen on a random side, the writer moved there. */
  readonly sides?: boolean;
  /** Waits: these lengths (ms), and whether the link delivers during them (ticks) or only the clock moves. */
  readonly waits?: fc.Arbitrary<number>;
  readonly ticks?: boolean | 'sometimes';
  readonly modes?: readonly LinkMode[];
  readonly skews?: fc.Arbitrary<number>;
}

/** Random actions for a profile: a fast-check arbitrary, so failures shrink and replay from a seed. */
export function randomAction(p: ActionProfile): fc.Arbitrary<Action> {
  const who = fc.constantFrom(...p.people);
  // Often the pinned post or one of the oldest, so both sides write the same post (the conflicts
  // every rule is about); else any post the writer's side holds.
  const target = fc.oneof({ weight: 2, arbitrary: fc.constant<number | string>(PINNED_POST_ID) }, { weight: 3, arbitrary: fc.nat({ max: 2 }) }, { weight: 5, arbitrary: fc.nat({ max: 1_000 }) });
  const sided = <A extends Write>(arb: fc.Arbitrary<A>): fc.Arbitrary<A> => (p.sides ? fc.tuple(arb, fc.constantFrom(...DATACENTERS)).map(([a, dc]) => ({ ...a, on: dc })) : arb);
  const editor = p.authors === 'sometimes' ? fc.oneof(fc.constant(AUTHOR), who) : p.authors ? fc.constant(AUTHOR) : who;
  const writer = (kind: 'edit' | 'delete') => sided(fc.record({ kind: fc.constant(kind), who: editor, target }));
  const ticks = p.ticks === 'sometimes' ? fc.boolean() : fc.constant(p.ticks ?? true);
  const byKind: Record<ActionKind, () => fc.Arbitrary<Action>> = {
    post: () => sided(fc.record({ kind: fc.constant('post' as const), who, reply: fc.boolean(), target })),
    edit: () => writer('edit'),
    delete: () => writer('delete'),
    like: () => sided(fc.record({ kind: fc.constant('like' as const), who, target })),
    unlike: () => sided(fc.record({ kind: fc.constant('unlike' as const), who, target })),
    retry: () => fc.record({ kind: fc.constant('retry' as const), who, target }),
    resolve: () => fc.record({ kind: fc.constant('resolve' as const), who: fc.option(who, { freq: 4, nil: null }), target, keep: fc.constantFrom('west' as const, 'east' as const, 'both' as const) }),
    wait: () => fc.record({ kind: fc.constant('wait' as const), ms: p.waits ?? fc.integer({ min: 0, max: 3000 }), tick: ticks }),
    mode: () => fc.record({ kind: fc.constant('mode' as const), mode: fc.constantFrom(...(p.modes ?? LINK_MODES)) }),
    link: () => fc.record({ kind: fc.constant('link' as const), latencyMs: fc.constantFrom(0, 100, 400), jitterMs: fc.constantFrom(0, 300) }),
    strategy: () => fc.record({ kind: fc.constant('strategy' as const), strategy: fc.constantFrom(...STRATEGIES) }),
    skew: () => fc.record({ kind: fc.constant('skew' as const), dc: fc.constantFrom(...DATACENTERS), ms: p.skews ?? fc.integer({ min: -10_000, max: 10_000 }) }),
    switch: () => fc.record({ kind: fc.constant('switch' as const), who }),
    rewind: () => fc.constant({ kind: 'rewind' as const }),
    reset: () => fc.constant({ kind: 'reset' as const }),
  };
  const arbs = Object.entries(p.weights)
    .filter(([, weight]) => (weight ?? 0) > 0)
    .map(([kind, weight]) => ({ weight: weight ?? 0, arbitrary: byKind[kind as ActionKind]() }));
  return fc.oneof(...arbs);
}
