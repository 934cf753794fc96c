/**
 * Export and import over HTTP: the JSON document round-trips to the same state and reports
 * (EXP1); the ShiViz log parses with ShiViz's regular expression and carries the core's clocks
 * (EXP2); hostile imports are refused with a clear error and create nothing (EXP3).
 */
import { describe, expect, it } from 'vitest';
import { EXPORT_VERSION, MAX_IMPORT_BYTES, type ExportDocument } from '../../server/export/document.ts';
import { SHIVIZ_REGEX } from '../../server/export/formats.ts';
import { createMemoryStore } from '../../server/persistence/memory-store.ts';
import type { ImportedSession } from '../../server/protocol/index.ts';
import { createInitialState, snapshotOf, step, type DcId, type SimState } from '../../server/sim/index.ts';
import type { RunningServer } from '../../server/app.ts';
import { createClassroom, joinAs, ok, opId, startTestServer } from '../support/server.ts';

async function download(server: RunningServer, code: string, secret: string | null, format: 'json' | 'csv' | 'shiviz.txt'): Promise<Response> {
  return fetch(`${server.url}/api/export/${code}.${format}`, secret ? { headers: { Authorization: `Bearer ${secret}` } } : {});
}

function upload(server: RunningServer, body: string): Promise<Response> {
  return fetch(`${server.url}/api/import`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
}

/** A split healed with LWW, rewound, healed with merge everything, with writes after each heal. */
async function history(server: RunningServer) {
  const room = await createClassroom(server);
  const west = await joinAs(server, room.code, 'Wendy');
  const east = await joinAs(server, room.code, 'Ed, "the East"');
  ok(await room.admin.emitWithAck('admin:link', { latencyMs: 0, jitterMs: 0 }));
  ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: '=SUM(A1:A9) before the split', parentId: null }));
  ok(await room.admin.emitWithAck('admin:partition', { mode: 'cut' }));
  ok(await west.socket.emitWithAck('post:edit', { opId: opId(), postId: 'pinned', text: 'West notes' }));
  ok(await east.socket.emitWithAck('post:edit', { opId: opId(), postId: 'pinned', text: 'East notes,\nwith a line' }));
  ok(await east.socket.emitWithAck('post:like', { opId: opId(), postId: 'pinned' }));
  ok(await room.admin.emitWithAck('admin:partition', { mode: 'up' }));
  ok(await east.socket.emitWithAck('post:create', { opId: opId(), text: 'after the heal', parentId: null }));
  ok(await room.admin.emitWithAck('admin:rewind', { healIndex: 1 }));
  ok(await room.admin.emitWithAck('admin:strategy', { strategy: 'merge' }));
  ok(await room.admin.emitWithAck('admin:partition', { mode: 'up' }));
  return room;
}

describe('export and import', () => {
  it('[EXP1] export then import gives the same state and the same reports, under a new code and secret', async () => {
    const server = await startTestServer();
    try {
      const room = await history(server);
      const response = await download(server, room.code, room.secret, 'json');
      expect(response.status).toBe(200);
      const text = await response.text();
      const doc = JSON.parse(text) as ExportDocument;
      expect(doc.version).toBe(EXPORT_VERSION);
      expect(doc.heals.map((h) => h.strategy)).toEqual(['lww', 'merge']);
      expect(doc.rewinds).toEqual([expect.objectContaining({ healIndex: 1, queued: 1 })]);

      const imported = await upload(server, text);
      expect(imported.status).toBe(201);
      const created = (await imported.json()) as ImportedSession;
      expect(created.code).not.toBe(room.code);
      const original = server.realtime.session(room.code)!.state;
      const copy = server.realtime.session(created.code)!.state;
      const a = snapshotOf(copy) as Record<string, unknown>;
      const b = snapshotOf(original) as Record<string, unknown>;
      // Everything but `now`: the time of the last tick, which is not logged (the copy ticked when it was loaded).
      expect(Object.keys(a)).toEqual(Object.keys(b));
      for (const k of Object.keys(b)) if (k !== 'now') expect(JSON.stringify(a[k]), k).toBe(JSON.stringify(b[k]));
      // The new secret is the new session's instructor link; the old one is not.
      expect((await download(server, created.code, room.secret, 'json')).status).toBe(403);
      const again = JSON.parse(await (await download(server, created.code, created.secret, 'json')).text()) as ExportDocument;
      expect({ ...again, session: { ...again.session, code: doc.session.code } }).toEqual(doc);

      // The CSV: one row per post per datacenter, one per lost or merged write; no formula runs.
      const csv = (await (await download(server, room.code, room.secret, 'csv')).text()).split('\r\n');
      expect(csv[0]).toBe(
        'record,dc,post_id,parent_id,author,text,deleted,likes,vv_west,vv_east,heal,strategy,outcome,op_id,kind,wall,at,winner_op_id,winner_dc,winner_author,winner_wall,decided_by,ahead_ms,behind_ms,later_ms,duplicate_of,likes_west,likes_east,deleted_by',
      );
      // Why a write lost is facts in columns (the rule's code and its figures), not a sentence.
      expect(csv.filter((l) => l.startsWith('heal,') && /,(west|east),[^,]*,[^,]*,-?\d+,(later-timestamp|delete-on-tie|datacenter-on-tie),-?\d+,/.test(l))).toHaveLength(1);
      const posts = csv.filter((l) => l.startsWith('post,'));
      expect(posts.filter((l) => l.startsWith('post,west,')).length).toBe(original.replicas.west.posts.size);
      expect(posts.filter((l) => l.startsWith('post,east,')).length).toBe(original.replicas.east.posts.size);
      expect(csv.some((l) => l.includes(",'=SUM(A1:A9) before the split,"))).toBe(true);
      expect(csv.filter((l) => l.startsWith('heal,')).map((l) => /,(\d+),(lww|merge|human),([a-z ]+),/.exec(l)?.slice(1).join(' '))).toEqual(['1 lww lost', '2 merge duplicated']);
      expect(csv.some((l) => l.includes('"Ed, ""the East"""'))).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('[EXP2] the ShiViz log parses with its regular expression (JS named groups), and each clock is the one the core applied', async () => {
    const store = createMemoryStore();
    const server = await startTestServer(store);
    try {
      const room = await createClassroom(server);
      const west = await joinAs(server, room.code, 'Wendy');
      const east = await joinAs(server, room.code, 'Ed');
      ok(await room.admin.emitWithAck('admin:link', { latencyMs: 0, jitterMs: 0 }));
      const first = ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'hello', parentId: null }));
      ok(await room.admin.emitWithAck('admin:partition', { mode: 'cut' }));
      ok(await west.socket.emitWithAck('post:like', { opId: opId(), postId: first.id }));
      ok(await east.socket.emitWithAck('post:edit', { opId: opId(), postId: 'pinned', text: 'East\nnotes' }));
      ok(await east.socket.emitWithAck('post:create', { opId: opId(), text: 'east', parentId: null }));
      ok(await room.admin.emitWithAck('admin:partition', { mode: 'up' }));
      ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'after', parentId: null }));
      await new Promise((resolve) => setTimeout(resolve, 50));

      expect((await download(server, room.code, null, 'shiviz.txt')).status).toBe(403);
      const text = await (await download(server, room.code, room.secret, 'shiviz.txt')).text();
      const [regexLine, ...rest] = text.split('\n');
      expect(regexLine).toBe(SHIVIZ_REGEX);
      const parsed = [...rest.join('\n').matchAll(new RegExp(regexLine!, 'g'))].map((m) => ({
        event: m.groups!.event!,
        host: m.groups!.host!,
        clock: JSON.parse(m.groups!.clock!) as Record<string, number>,
      }));
      // Two lines per event, each parsed.
      expect(parsed.length * 2).toBe(rest.filter((l) => l !== '').length);
      // The core's own count, step by step: the last event each step makes at a datacenter has, as
      // its own entry, the number of writes that replica has applied (no reset or rewind here).
      const runtime = server.realtime.session(room.code)!;
      const log = await store.readLog(runtime.record.id);
      let state: SimState = createInitialState(runtime.record.seed);
      let i = 0;
      const sentWith = new Map<string, Record<string, number>>();
      for (const entry of log) {
        const r = step(state, entry.command, { now: entry.at });
        if (!r.ok) continue;
        state = r.state;
        const last: Partial<Record<DcId, Record<string, number>>> = {};
        for (const e of r.events) {
          if (e.type !== 'op.applied') continue;
          const shown = parsed[i]!;
          i += 1;
          expect(shown.host).toBe(e.dc === 'west' ? 'West' : 'East');
          expect(shown.event).toContain(e.op.opId);
          if (e.local) sentWith.set(e.op.opId, shown.clock);
          // A received write's clock covers the clock it was sent with (happens-before).
          else for (const [host, n] of Object.entries(sentWith.get(e.op.opId)!)) expect(shown.clock[host]).toBeGreaterThanOrEqual(n);
          last[e.dc] = shown.clock;
        }
        for (const dc of ['west', 'east'] as const) if (last[dc]) expect(last[dc][dc === 'west' ? 'West' : 'East']).toBe(state.replicas[dc].applied.size);
      }
      expect(i).toBe(parsed.length);
      expect(i).toBeGreaterThan(8);
    } finally {
      await server.close();
    }
  });

  it('[EXP3] a wrong version, an oversize file, unknown fields, ids that break the rules, tampered reports and a log that does not replay are refused, and nothing is created', async () => {
    const store = createMemoryStore();
    const server = await startTestServer(store);
    try {
      const room = await history(server);
      const doc = JSON.parse(await (await download(server, room.code, room.secret, 'json')).text()) as ExportDocument;
      const sessions = (await store.listSessions()).length;
      const firstEdit = doc.log.findIndex((e) => e.command.type === 'post.edit');
      const withEntry = (i: number, change: (e: Record<string, unknown>) => Record<string, unknown>) => ({ ...doc, log: doc.log.map((e, j) => (j === i ? change(e as unknown as Record<string, unknown>) : e)) });
      const cases: [string, string, RegExp][] = [
        ['wrong version', JSON.stringify({ ...doc, version: 99 }), /version 99 .* reads version 2/],
        ['not JSON', '{"format":', /not JSON/],
        ['not an export', JSON.stringify({ hello: 'world' }), /not a valid export/],
        ['unknown top-level field', JSON.stringify({ ...doc, extra: true }), /not a valid export/],
        ['unknown field in a command', JSON.stringify(withEntry(firstEdit, (e) => ({ ...e, command: { ...(e.command as object), admin: true } }))), /not a valid export \(at log\.\d+\.command\)/],
        ['an op id that breaks the rules', JSON.stringify(withEntry(firstEdit, (e) => ({ ...e, command: { ...(e.command as object), opId: 'bad id <script>' } }))), /op id/],
        ['a repeated key', JSON.stringify(withEntry(1, (e) => ({ ...e, key: doc.log[0]!.key }))), /repeats the key/],
        ['a log that does not replay', JSON.stringify(withEntry(firstEdit, (e) => ({ ...e, command: { ...(e.command as object), participantId: 'nobody-here' } }))), /does not replay: entry \d+/],
        ['tampered reports', JSON.stringify({ ...doc, heals: doc.heals.slice(1) }), /heal reports/],
      ];
      for (const [what, body, message] of cases) {
        const response = await upload(server, body);
        expect(response.status, what).toBeGreaterThanOrEqual(400);
        expect(((await response.json()) as { error: string }).error, what).toMatch(message);
      }
      const oversize = await upload(server, JSON.stringify({ ...doc, padding: 'x'.repeat(MAX_IMPORT_BYTES) }));
      expect(oversize.status).toBe(413);
      const foreign = await fetch(`${server.url}/api/import`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' }, body: JSON.stringify(doc) });
      expect(foreign.status).toBe(403);
      expect((await store.listSessions()).length).toBe(sessions);
    } finally {
      await server.close();
    }
  });
});
