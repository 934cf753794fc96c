/**
 * Rewind and scrub over Socket.IO: the instructor rewinds a heal and heals again another way,
 * every screen follows, a restart reproduces it (RWD1); the board sees the session at a moment,
 * and that is what a fresh core replayed to that moment holds (SCR1).
 */
import { describe, expect, it } from 'vitest';
import { startServer } from '../../server/app.ts';
import { createMemoryStore } from '../../server/persistence/memory-store.ts';
import type { Store } from '../../server/persistence/store.ts';
import type { ConsensusFrame } from '../../server/protocol/index.ts';
import { ConsensusJournal } from '../../server/realtime/consensus-journal.ts';
import { frameView, momentView } from '../../server/realtime/consensus-view.ts';
import { divergence, replay, step, type DcId, type SimState } from '../../server/sim/index.ts';
import { client, createClassroom, joinAs, nextEvent, ok, opId, startTestServer } from '../support/server.ts';

async function splitHistory(store: Store) {
  const server = await startTestServer(store);
  const room = await createClassroom(server);
  const west = await joinAs(server, room.code, 'Wendy');
  const east = await joinAs(server, room.code, 'Ed');
  ok(await room.admin.emitWithAck('admin:link', { latencyMs: 0, jitterMs: 0 }));
  ok(await room.admin.emitWithAck('admin:partition', { mode: 'cut' }));
  ok(await west.socket.emitWithAck('post:edit', { opId: opId(), postId: 'pinned', text: 'West notes' }));
  const westOnly = ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'only in West', parentId: null }));
  ok(await east.socket.emitWithAck('post:edit', { opId: opId(), postId: 'pinned', text: 'East notes' }));
  return { server, room, west, east, westOnly };
}

function feedIds(state: SimState, dc: DcId): string[] {
  return [...state.replicas[dc].posts.values()].filter((p) => p.created).map((p) => `${p.id}:${p.text}:${p.deleted}`).sort();
}

describe('rewind and scrub over Socket.IO', () => {
  it('[RWD1] the instructor rewinds an LWW heal, heals again with merge everything; students follow; a restart reproduces both attempts', async () => {
    const store = createMemoryStore();
    const { server, room, west, east } = await splitHistory(store);
    ok(await room.admin.emitWithAck('admin:partition', { mode: 'up' }));
    let attempts = ok(await room.admin.emitWithAck('board:attempts', {}));
    expect(attempts.attempts.map((a) => [a.index, a.strategy, a.counts.lost])).toEqual([[1, 'lww', 1]]);
    expect(attempts.rewindable?.index).toBe(1);
    const later = ok(await east.socket.emitWithAck('post:create', { opId: opId(), text: 'written after the heal', parentId: null }));

    const refuse = await west.socket.emitWithAck('admin:rewind', { healIndex: 1 });
    expect(refuse.ok ? 'ok' : refuse.error.code).toBe('forbidden');
    const stale = await room.admin.emitWithAck('admin:rewind', { healIndex: 2 });
    expect(stale.ok ? 'ok' : stale.error.code).toBe('invalid');

    const follow = nextEvent(west.socket, 'session:reset');
    attempts = ok(await room.admin.emitWithAck('admin:rewind', { healIndex: 1 }));
    await follow;
    expect(attempts.queued).toBe(1);
    expect(attempts.rewindable).toBeNull();
    const rejoined = ok(await west.socket.emitWithAck('session:join', { code: room.code, token: west.joined.token }));
    expect(rejoined.snapshot.link.mode).toBe('cut');
    expect(rejoined.snapshot.posts.find((p) => p.id === 'pinned')?.text).toBe('West notes');
    const board = ok(await room.admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret }));
    expect(board.posts.east.some((p) => p.id === later.id)).toBe(false);

    ok(await room.admin.emitWithAck('admin:strategy', { strategy: 'merge' }));
    ok(await room.admin.emitWithAck('admin:partition', { mode: 'up' }));
    attempts = ok(await room.admin.emitWithAck('board:attempts', {}));
    expect(attempts.attempts.map((a) => [a.index, a.strategy, a.rewound, a.counts.lost, a.counts.duplicates, a.replayed])).toEqual([
      [1, 'lww', true, 1, 0, 0],
      [2, 'merge', false, 0, 1, 1],
    ]);
    const live = server.realtime.session(room.code)!.state;
    expect(live.replicas.east.posts.get(later.id)?.text).toBe('written after the heal');
    await server.close();

    // REL1: the stored log (the memory store keeps it across close), rewind included, replays to the same state and the same attempts.
    const again = await startServer({ port: 0, host: '127.0.0.1', store, log: () => {} });
    try {
      const restored = again.realtime.session(room.code)!.state;
      expect(feedIds(restored, 'west')).toEqual(feedIds(live, 'west'));
      expect(restored.rewind.attempts.map((a) => a.strategy).toArray()).toEqual(['lww', 'merge']);
    } finally {
      await again.close();
    }
  });

  it('[SCR1] the board scrubs to the middle of the split: both feeds, the link, the clocks and the divergence are a fresh core replayed to that moment', async () => {
    const store = createMemoryStore();
    const { server, room, westOnly } = await splitHistory(store);
    ok(await room.admin.emitWithAck('admin:skew', { dc: 'east', skewMs: -3000 }));
    ok(await room.admin.emitWithAck('admin:partition', { mode: 'up' }));
    const runtime = server.realtime.session(room.code)!;
    const log = await store.readLog(runtime.record.id);
    const board = await client(server);
    ok(await board.emitWithAck('board:watch', { code: room.code }));
    try {
      for (const entry of log) {
        const t = entry.at;
        const shown = ok(await board.emitWithAck('board:scrub', { at: t }));
        const prefix = log.filter((e) => e.at <= t);
        const due = step(replay(runtime.record.seed, prefix), { type: 'tick' }, { now: t });
        const fresh = due.ok ? due.state : replay(runtime.record.seed, prefix);
        expect(shown.seq).toBe(prefix.length);
        for (const dc of ['west', 'east'] as const) {
          expect(shown.posts[dc].map((p) => `${p.id}:${p.text}:${p.deleted}`).sort()).toEqual(feedIds(fresh, dc));
          expect(shown.clocks[dc]).toEqual({ wall: t + fresh.skew[dc], lamport: fresh.replicas[dc].lamport });
        }
        expect(shown.link.mode).toBe(fresh.link.mode);
        expect(shown.divergence).toEqual({ ...divergence(fresh) });
      }
      // The middle of the split: West holds its own post, East does not.
      const cutAt = log.find((e) => e.command.type === 'link.mode' && e.command.mode === 'cut')!.at;
      const middle = ok(await board.emitWithAck('board:scrub', { seq: log.findIndex((e) => e.command.type === 'post.create') + 1 }));
      expect(middle.at).toBeGreaterThanOrEqual(cutAt);
      expect(middle.link.mode).toBe('cut');
      expect(middle.posts.west.some((p) => p.id === westOnly.id)).toBe(true);
      expect(middle.posts.east.some((p) => p.id === westOnly.id)).toBe(false);
      // Stepping per event: the previous and next entries' times.
      const back = ok(await board.emitWithAck('board:scrub', { seq: middle.seq - 1 }));
      expect(back.nextAt).toBe(middle.at);
      // Viewing only: the live session is untouched, and a student may not scrub.
      expect(server.realtime.session(room.code)!.state.link.mode).toBe('up');
      const student = await joinAs(server, room.code, 'Sam');
      const refused = await student.socket.emitWithAck('board:scrub', { at: cutAt });
      expect(refused.ok ? 'ok' : refused.error.code).toBe('forbidden');
    } finally {
      await server.close();
    }
  });

  it('[SEC6] an ended session is an archive: it can be scrubbed and exported, not rewound', async () => {
    const { server, room } = await splitHistory(createMemoryStore());
    try {
      ok(await room.admin.emitWithAck('admin:partition', { mode: 'up' }));
      ok(await room.admin.emitWithAck('admin:end', {}));
      const rewind = await room.admin.emitWithAck('admin:rewind', { healIndex: 1 });
      expect(rewind.ok ? 'ok' : rewind.error.code).toBe('ended');
      const shown = ok(await room.admin.emitWithAck('board:scrub', { seq: 5 }));
      expect(shown.seq).toBe(5);
      const exported = await fetch(`${server.url}/api/export/${room.code}.json`, { headers: { Authorization: `Bearer ${room.secret}` } });
      expect(exported.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('[SCR1] the Raft view shown at time t equals a fresh consensus replay to t; the scrubbed board shows it, and a restart shows it again', async () => {
    const store = createMemoryStore();
    let now = 1_764_590_000_000;
    const clock = () => now;
    const server = await startTestServer(store, { clock });
    const room = await createClassroom(server);
    const west = await joinAs(server, room.code, 'Wendy');
    const east = await joinAs(server, room.code, 'Ed');
    const board = await client(server);
    ok(await board.emitWithAck('board:watch', { code: room.code }));
    const shown: { t: number; frame: ConsensusFrame }[] = [];
    // A look is the last thing at its moment: whatever is logged at the same millisecond belongs to the view at that moment.
    const look = async () => {
      shown.push({ t: now, frame: ok(await board.emitWithAck('consensus:watch', {})).frame });
      now += 100;
    };
    const act = async (payload: Parameters<typeof room.admin.emitWithAck<'admin:consensus'>>[1], after: number) => {
      ok(await room.admin.emitWithAck('admin:consensus', payload));
      now += after;
    };
    const runtime = server.realtime.session(room.code)!;
    let lastShown: ConsensusFrame | undefined;
    try {
      now += 2000;
      await look();
      await act({ action: 'speed', speed: 1 }, 1500);
      await look();
      ok(await room.admin.emitWithAck('admin:partition', { mode: 'cut' }));
      now += 1200;
      ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'West during the split', parentId: null }));
      ok(await east.socket.emitWithAck('post:create', { opId: opId(), text: 'East during the split', parentId: null }));
      now += 900;
      await look();
      await act({ action: 'crash', node: 'C' }, 400);
      await act({ action: 'step' }, 0);
      await act({ action: 'step' }, 0);
      await act({ action: 'back' }, 300);
      await look();
      await act({ action: 'resume' }, 1800);
      await look();
      ok(await room.admin.emitWithAck('admin:partition', { mode: 'up' }));
      now += 1500;
      await look();

      const log = await store.readLog(runtime.record.id);
      expect(log.filter((e) => e.command.type === 'consensus.act').map((e) => e.command.type === 'consensus.act' && e.command.act.action)).toEqual(['speed', 'crash', 'step', 'step', 'back', 'resume']);
      for (const { t, frame } of shown) {
        const fresh = new ConsensusJournal(runtime.record.seed, runtime.record.createdAt);
        await fresh.catchUp(log);
        const { player, here } = await fresh.at(t);
        expect(frame, `live at +${t - runtime.record.createdAt} ms`).toEqual(frameView(player, here));
        const scrubbed = ok(await board.emitWithAck('board:scrub', { at: t }));
        expect(scrubbed.raft).toEqual(momentView(player, here));
        expect({ nodes: scrubbed.raft.nodes, leaders: scrubbed.raft.leaders, cut: scrubbed.raft.cut }).toEqual({ nodes: frame.raft.nodes, leaders: frame.raft.leaders, cut: frame.cut });
      }
      // What the view went through: the split reached it, East's majority led, C crashed, both posts went to Raft.
      const split = shown[2]!.frame;
      expect(split.cut).toBe('full');
      expect(split.raft.leaders.some((l) => ['C', 'D', 'E'].includes(l.id))).toBe(true);
      expect(shown[3]!.frame.raft.nodes.find((n) => n.id === 'C')?.role).toBe('crashed');
      expect(shown.at(-1)!.frame.cut).toBe('none');
      lastShown = ok(await board.emitWithAck('consensus:watch', {})).frame;
    } finally {
      await server.close();
    }

    // A restart at the same moment shows the same view: it is the journal's replay, not a memory of the old process.
    const again = await startServer({ port: 0, host: '127.0.0.1', store, log: () => {}, clock });
    try {
      const fresh = await client(again);
      ok(await fresh.emitWithAck('admin:watch', { code: room.code, secret: room.secret }));
      expect(ok(await fresh.emitWithAck('consensus:watch', {})).frame).toEqual(lastShown);
    } finally {
      await again.close();
    }
  });
});
