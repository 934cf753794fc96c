/** Drives the pure core in tests: a tiny fluent wrapper over step() that fails loudly on refusals. */
import { expect } from 'vitest';
import { createInitialState, step, type Command, type DcId, type Post, type SimEvent, type SimState, type Strategy } from '../../server/sim/index.ts';

/** A replica's posts as plain data, sorted by id, likes included: for comparing two replicas. */
export function plainPosts(state: SimState, dc: DcId): [string, Omit<Post, 'likes'> & { likes: [string, unknown][] }][] {
  const byKey = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return [...state.replicas[dc].posts.entries()].sort(byKey).map(([id, post]) => [id, { ...post, likes: [...post.likes.entries()].sort(byKey) }]);
}

/** The posts a replica holds, in its own order. */
export function postsIn(state: SimState, dc: DcId): Post[] {
  return [...state.replicas[dc].posts.values()];
}

export class SimDriver {
  state: SimState;
  now: number;
  readonly log: { at: number; command: Command }[] = [];
  private opCounter = 0;

  constructor(
    readonly seed = 1,
    start = 1_000_000,
  ) {
    this.state = createInitialState(seed);
    this.now = start;
  }

  /** Applies a command that must be accepted; records it in the log like the server would. */
  run(command: Command): SimEvent[] {
    const result = step(this.state, command, { now: this.now });
    if (!result.ok) throw new Error(`refused ${command.type}: ${result.error.message}`);
    this.state = result.state;
    if (command.type !== 'tick') this.log.push({ at: this.now, command });
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
    return `op-${String(this.opCounter).padStart(8, '0')}`;
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
