import { describe, expect, it } from 'vitest';
import type { ConsensusFrame } from '../../server/protocol/index.ts';
import { client, createClassroom, nextEvent, ok, opId, serverPerTest } from '../support/server.ts';

const live = serverPerTest();

const oneLeader = (f: ConsensusFrame) => f.raft.leaders.length === 1;

describe('the consensus view follows the feeds\' split', () => {
  it('[RAFT2] [RAFT5] a split elects on [C,D,E] only while naive failover makes two primaries; [RAFT3] heal leaves one leader', async () => {
    const room = await createClassroom(live.current);
    const board = await client(live.current);
    ok(await board.emitWithAck('board:watch', { code: room.code }));
    const student = await client(live.current);
    ok(await student.emitWithAck('session:join', { code: room.code, name: 'Wendy' }));
    const refused = await student.emitWithAck('consensus:watch', {});
    expect(refused.ok ? 'ok' : refused.error.code).toBe('forbidden');

    const first = ok(await board.emitWithAck('consensus:watch', {}));
    expect(first.frame.raft.nodes.map((n) => n.id)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(first.analysis.protocols.map((p) => p.protocol)).toEqual(['2PC', '3PC', 'Paxos/Raft', 'PBFT', 'Dynamo-style AP']);
    ok(await room.admin.emitWithAck('admin:consensus', { action: 'speed', speed: 2 }));
    const [elected] = await nextEvent(board, 'consensus:frame', oneLeader, 15_000);
    const termBefore = elected.raft.leaders[0]?.term ?? 0;

    const analysed = nextEvent(board, 'consensus:analysis', (a) => a.protocols.some((p) => p.line.includes('West')), 15_000);
    ok(await room.admin.emitWithAck('admin:partition', { mode: 'cut' }));
    const [split] = await nextEvent(
      board,
      'consensus:frame',
      (f) => f.cut === 'full' && f.naive.primaries.length === 2 && f.raft.leaders.some((l) => ['C', 'D', 'E'].includes(l.id) && l.term >= termBefore),
      20_000,
    );
    // The minority may keep a stale leader of the old term, but never elects a new one.
    expect(split.raft.leaders.filter((l) => ['A', 'B'].includes(l.id) && l.term > termBefore)).toEqual([]);
    expect(split.naive.primaries.sort()).toEqual(expect.arrayContaining([expect.stringMatching(/[AB]/), expect.stringMatching(/[CDE]/)]));
    await analysed;

    // A class write accepted in East goes to East's leader, which commits it with its majority.
    const eastLeader = split.raft.leaders.find((l) => ['C', 'D', 'E'].includes(l.id))?.id;
    const before = split.raft.nodes.find((n) => n.id === eastLeader)?.commitIndex ?? 0;
    const ed = await client(live.current);
    const joined = ok(await ed.emitWithAck('session:join', { code: room.code, name: 'Ed' }));
    expect(joined.snapshot.dc).toBe('east');
    ok(await ed.emitWithAck('post:create', { opId: opId(), text: 'committed by the majority', parentId: null }));
    await nextEvent(board, 'consensus:frame', (f) => (f.raft.nodes.find((n) => n.id === eastLeader)?.commitIndex ?? 0) > before, 20_000);

    ok(await room.admin.emitWithAck('admin:partition', { mode: 'up' }));
    const [healed] = await nextEvent(board, 'consensus:frame', (f) => f.cut === 'none' && oneLeader(f) && f.raft.nodes.every((n) => n.role !== 'leader' || n.id === f.raft.leaders[0]?.id), 20_000);
    expect(healed.raft.leaders).toHaveLength(1);
  }, 60_000);

  it('pause, step and step back: step back returns to the previous displayed state', async () => {
    const room = await createClassroom(live.current);
    ok(await room.admin.emitWithAck('consensus:watch', {}));
    const paused = ok(await room.admin.emitWithAck('admin:consensus', { action: 'pause' }));
    const stepped = ok(await room.admin.emitWithAck('admin:consensus', { action: 'step' }));
    expect(stepped.simNow).toBeGreaterThanOrEqual(paused.simNow);
    const again = ok(await room.admin.emitWithAck('admin:consensus', { action: 'step' }));
    const back = ok(await room.admin.emitWithAck('admin:consensus', { action: 'back' }));
    expect({ ...back, history: 0 }).toEqual({ ...stepped, history: 0 });
    expect(again.history).toBe(back.history + 1);
    const bad = await room.admin.emitWithAck('admin:consensus', { action: 'crash', node: 'Z' } as never);
    expect(bad.ok ? 'ok' : bad.error.code).toBe('bad_request');
  });
});
