import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer, type ServerOptions } from '../../server/app.ts';
import { readEnv } from '../../server/env.ts';
import { createMemoryStore } from '../../server/persistence/memory-store.ts';
import { JOIN_CODE_ALPHABET, PROTOCOL_VERSION, type Ack } from '../../server/protocol/index.ts';
import { client, createClassroom, joinAs, ok, opId, type Client } from '../support/server.ts';

const servers: RunningServer[] = [];
const sockets: Client[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const server of servers.splice(0)) await server.close();
});

/** The real server (memory store, no pages unless given), collecting its log lines. */
async function start(options: Partial<ServerOptions> = {}): Promise<{ server: RunningServer; lines: string[] }> {
  const lines: string[] = [];
  const server = await startServer({ port: 0, host: '127.0.0.1', store: createMemoryStore(), log: (line) => lines.push(line), ...options });
  servers.push(server);
  return { server, lines };
}

async function open(server: RunningServer): Promise<Client> {
  const socket = await client(server);
  sockets.push(socket);
  return socket;
}

const codeOf = (ack: Ack<unknown>) => (ack.ok ? 'ok' : ack.error.code);

/** A code no session has: the real one with its last character changed. */
function wrongCode(real: string, i: number): string {
  const alphabet = JOIN_CODE_ALPHABET.replace(real.at(-1) ?? '', '');
  return `${real.slice(0, 5)}${alphabet[i % alphabet.length]}`;
}

/** A raw HTTP request with chosen headers (a browser on a rebinding page sends its own Host and Origin). */
function get(server: RunningServer, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const polling = '/socket.io/?EIO=4&transport=polling';

describe('[SEC5] guessing and flooding cost something', () => {
  it('[SEC5] a connection out of code guesses is refused even the right code; the address runs out too', async () => {
    const { server } = await start();
    const room = await createClassroom(server);
    const guesser = await open(server);
    for (let i = 0; i < 10; i += 1) expect(codeOf(await guesser.emitWithAck('session:join', { code: wrongCode(room.code, i), name: 'G' }))).toBe('unknown_session');
    expect(codeOf(await guesser.emitWithAck('session:join', { code: room.code, name: 'G' }))).toBe('rate_limited');
    // Two more connections from the same address spend the address's 30 guesses...
    for (let c = 0; c < 2; c += 1) {
      const more = await open(server);
      for (let i = 0; i < 10; i += 1) await more.emitWithAck('board:watch', { code: wrongCode(room.code, i) });
    }
    // ...so a fresh connection from there may not even try.
    const fresh = await open(server);
    expect(codeOf(await fresh.emitWithAck('board:watch', { code: room.code }))).toBe('rate_limited');
  });

  it('[SEC5] wrong instructor secrets are guesses too', async () => {
    const { server } = await start({ limits: { guesses: { points: 3, seconds: 60 } } });
    const room = await createClassroom(server);
    const intruder = await open(server);
    for (let i = 0; i < 3; i += 1) expect(codeOf(await intruder.emitWithAck('admin:watch', { code: room.code, secret: `${'x'.repeat(31)}${i}` }))).toBe('forbidden');
    expect(codeOf(await intruder.emitWithAck('admin:watch', { code: room.code, secret: room.secret }))).toBe('rate_limited');
  });

  it('[SEC5] session creation is limited per connection and per address', async () => {
    const { server } = await start({ limits: { createsPerAddress: { points: 5, seconds: 600 } } });
    const first = await open(server);
    const made = [];
    for (let i = 0; i < 4; i += 1) made.push(codeOf(await first.emitWithAck('session:create', {})));
    expect(made).toEqual(['ok', 'ok', 'ok', 'rate_limited']);
    // Four asked (a refused request spends the address's budget too), one left for the address.
    const second = await open(server);
    const more = [];
    for (let i = 0; i < 2; i += 1) more.push(codeOf(await second.emitWithAck('session:create', {})));
    expect(more).toEqual(['ok', 'rate_limited']);
  });

  // A window longer than the test, so that no budget comes back half-way.
  const writes = { points: 30, seconds: 600 };

  it('[SEC5] one connection cannot join again under new names to write more: people and writes are capped per connection', async () => {
    const { server } = await start({ limits: { writes } });
    const room = await createClassroom(server);
    const socket = await open(server);
    ok(await socket.emitWithAck('session:join', { code: room.code, name: 'First' }));
    const acks = [];
    for (let i = 0; i < 31; i += 1) acks.push(await socket.emitWithAck('post:create', { opId: opId(), text: `first ${i}`, parentId: null }));
    expect(acks.filter((a) => a.ok)).toHaveLength(30);
    ok(await socket.emitWithAck('session:join', { code: room.code, name: 'Second' }));
    // A new name is a new person, but the same connection's writes are spent.
    expect(codeOf(await socket.emitWithAck('post:create', { opId: opId(), text: 'second', parentId: null }))).toBe('rate_limited');
    ok(await socket.emitWithAck('session:join', { code: room.code, name: 'Third' }));
    expect(codeOf(await socket.emitWithAck('session:join', { code: room.code, name: 'Fourth' }))).toBe('rate_limited');
    const view = ok(await room.admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret }));
    expect(view.participants.map((p) => p.name)).toEqual(['First', 'Second', 'Third']);
  });

  it('[SEC5] writes are limited per address across connections and people', async () => {
    const { server } = await start({ limits: { writesPerAddress: { points: 40, seconds: 60 } } });
    const room = await createClassroom(server);
    const a = await joinAs(server, room.code, 'A');
    const b = await joinAs(server, room.code, 'B');
    sockets.push(a.socket, b.socket);
    const results = [];
    for (let i = 0; i < 25; i += 1) {
      results.push(await a.socket.emitWithAck('post:create', { opId: opId(), text: `a ${i}`, parentId: null }));
      results.push(await b.socket.emitWithAck('post:create', { opId: opId(), text: `b ${i}`, parentId: null }));
    }
    expect(results.filter((r) => r.ok)).toHaveLength(40);
    expect(new Set(results.filter((r) => !r.ok).map(codeOf))).toEqual(new Set(['rate_limited']));
  });

  it('[SEC5] me:switch is a write: a flood of switches is refused past the limit and not stored', async () => {
    const { server } = await start({ limits: { writes } });
    const room = await createClassroom(server);
    const roamer = await joinAs(server, room.code, 'Roamer');
    sockets.push(roamer.socket);
    const acks = [];
    for (let i = 0; i < 35; i += 1) acks.push(await roamer.socket.emitWithAck('me:switch', {}));
    expect(acks.filter((a) => a.ok)).toHaveLength(30);
    expect(acks.slice(30).map(codeOf)).toEqual(Array(5).fill('rate_limited'));
    // 30 switches from West: back home.
    const view = ok(await room.admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret }));
    expect(view.participants.find((p) => p.name === 'Roamer')?.home).toBe('west');
  });

  it('[SEC5] a flood of frames without an ack callback is logged a few times, not once each', async () => {
    const { server, lines } = await start();
    const room = await createClassroom(server);
    const student = await joinAs(server, room.code, 'Quiet');
    sockets.push(student.socket);
    for (let i = 0; i < 200; i += 1) student.socket.emit('post:create', { opId: opId(), text: `no ack ${i}`, parentId: null }, undefined as never);
    // Frames of one socket are handled in order: once this is answered, the 200 were handled.
    ok(await student.socket.emitWithAck('post:create', { opId: opId(), text: 'answered', parentId: null }));
    const dropped = lines.filter((l) => l.includes('without an ack callback'));
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped.length).toBeLessThanOrEqual(10);
  });

  it('[SEC5] WRITE_RATE_LIMIT=off turns every write and join limit off', async () => {
    expect(readEnv({ NODE_ENV: 'test', WRITE_RATE_LIMIT: 'off' }).rateLimit).toBeNull();
    const { server } = await start({ rateLimit: null });
    const room = await createClassroom(server);
    const socket = await open(server);
    for (let i = 0; i < 15; i += 1) expect(codeOf(await socket.emitWithAck('session:join', { code: wrongCode(room.code, i), name: 'G' }))).toBe('unknown_session');
    for (const name of ['A', 'B', 'C', 'D']) ok(await socket.emitWithAck('session:join', { code: room.code, name }));
    const acks = await Promise.all(Array.from({ length: 60 }, (_, i) => socket.emitWithAck('post:create', { opId: opId(), text: `bench ${i}`, parentId: null })));
    expect(acks.every((a) => a.ok)).toBe(true);
    for (let i = 0; i < 5; i += 1) ok(await socket.emitWithAck('session:create', {}));
  });

  it('[SEC5] behind a trusted proxy each forwarded client address has its own budget; otherwise the header is ignored', async () => {
    const limits = { guesses: { points: 100, seconds: 60 }, guessesPerAddress: { points: 2, seconds: 60 } };
    const guessFrom = async (server: RunningServer, forwarded: string) => {
      const { io } = await import('socket.io-client');
      const socket: Client = io(server.url, { auth: { protocol: PROTOCOL_VERSION }, transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { 'x-forwarded-for': forwarded } });
      sockets.push(socket);
      await new Promise((resolve) => socket.once('connect', () => resolve(null)));
      const answers = [];
      for (let i = 0; i < 3; i += 1) answers.push(codeOf(await socket.emitWithAck('board:watch', { code: 'ZZZZZ2' })));
      return answers;
    };
    const trusted = (await start({ trustProxy: true, limits })).server;
    expect(await guessFrom(trusted, '10.0.0.1')).toEqual(['unknown_session', 'unknown_session', 'rate_limited']);
    expect(await guessFrom(trusted, '10.0.0.2')).toEqual(['unknown_session', 'unknown_session', 'rate_limited']);
    const direct = (await start({ limits })).server;
    expect(await guessFrom(direct, '10.0.0.1')).toEqual(['unknown_session', 'unknown_session', 'rate_limited']);
    expect(await guessFrom(direct, '10.0.0.2')).toEqual(['rate_limited', 'rate_limited', 'rate_limited']);
  });
});

describe('[SEC7] Origin and Host are the server\'s own', () => {
  it('[SEC7] a DNS-rebinding handshake (Host and Origin both foreign) is refused; the published address is let in', async () => {
    const { server } = await start({ allowedOrigins: ['https://lab.example.org'] });
    const own = `127.0.0.1:${server.port}`;
    const handshake = (host: string, origin?: string) => get(server, polling, { host, ...(origin ? { origin } : {}) });
    expect((await handshake(`evil.example:${server.port}`, `http://evil.example:${server.port}`)).status).toBe(403);
    expect((await handshake(own, 'http://evil.example')).status).toBe(403);
    expect((await handshake(`evil.example:${server.port}`)).status).toBe(403);
    expect((await handshake(own, `http://${own}`)).status).toBe(200);
    expect((await handshake(own)).status).toBe(200);
    expect((await handshake(`localhost:${server.port}`, `http://localhost:${server.port}`)).status).toBe(200);
    // A proxy's public origin, from ALLOWED_ORIGINS, with the Host it forwards.
    expect((await handshake('lab.example.org', 'https://lab.example.org')).status).toBe(200);
  });

  it('[SEC7] a page asked for under a foreign Host gets 421; the server\'s own host is served', async () => {
    const { server } = await start({ pages: (_req, res) => void res.end('page') });
    const foreign = await get(server, '/', { host: `evil.example:${server.port}` });
    expect(foreign.status).toBe(421);
    expect(foreign.body).not.toBe('page');
    const own = await get(server, '/', { host: `127.0.0.1:${server.port}` });
    expect(own.status).toBe(200);
    expect(own.body).toBe('page');
  });

  it('[SEC7] a server listening everywhere answers to its LAN addresses, not to other names', async () => {
    const { server } = await start({ host: '0.0.0.0', pages: (_req, res) => void res.end('page') });
    const { lanAddresses } = await import('../../server/realtime/origins.ts');
    for (const address of lanAddresses()) expect((await get(server, '/', { host: `${address}:${server.port}` })).status).toBe(200);
    expect((await get(server, '/', { host: `localhost:${server.port}` })).status).toBe(200);
    expect((await get(server, '/', { host: `attacker.example:${server.port}` })).status).toBe(421);
  });
});

describe('[SEC8] security headers', () => {
  it('[SEC8] every response carries a nonce CSP without inline scripts, frame-ancestors none, no-referrer and nosniff; the pages see the nonce', async () => {
    const seen: string[] = [];
    const { server } = await start({
      pages: (req, res) => {
        seen.push(String(req.headers['content-security-policy']));
        res.end('page');
      },
    });
    const host = `127.0.0.1:${server.port}`;
    const first = await get(server, '/s/ABCDEF', { host });
    const second = await get(server, '/', { host });
    for (const res of [first, second]) {
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const csp = String(res.headers['content-security-policy']);
      const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name = '', ...values]) => [name, values]));
      expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
      const scripts = directives.get('script-src') ?? [];
      expect(scripts).toContain("'strict-dynamic'");
      expect(scripts.some((s) => /^'nonce-[A-Za-z0-9+/]+=*'$/.test(s))).toBe(true);
      expect(scripts).not.toContain("'unsafe-inline'");
      expect(scripts).not.toContain("'unsafe-eval'");
      expect(directives.get('connect-src')).toEqual(expect.arrayContaining(["'self'", `ws://${host}`]));
      expect(directives.get('object-src')).toEqual(["'none'"]);
    }
    expect(first.headers['content-security-policy']).not.toBe(second.headers['content-security-policy']);
    // Next.js reads the nonce from the request's CSP header, as a proxy.ts would have set it.
    expect(seen).toEqual([first.headers['content-security-policy'], second.headers['content-security-policy']]);
    // Without pages, the 404 carries them too.
    const bare = (await start()).server;
    expect((await get(bare, '/', { host: `127.0.0.1:${bare.port}` })).headers['referrer-policy']).toBe('no-referrer');
  });
});

describe('[SEC9] unknown events', () => {
  it('[SEC9] an unknown event with an ack callback gets an error ack; without one it is dropped with a rate-limited log line', async () => {
    const { server, lines } = await start();
    const socket = await open(server);
    const raw = socket as unknown as { emitWithAck(event: string, payload: unknown): Promise<Ack<unknown>>; emit(event: string, payload: unknown): void };
    const answer = await raw.emitWithAck('post:explode', { opId: opId() });
    expect(answer).toEqual({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('post:explode') as string } });
    expect(codeOf(await raw.emitWithAck('__proto__', {}))).toBe('bad_request');
    for (let i = 0; i < 100; i += 1) raw.emit('no:such', i);
    // Still serving, in order: once this is answered the 100 were handled.
    ok(await socket.emitWithAck('session:create', {}));
    const dropped = lines.filter((l) => l.includes('unknown event'));
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped.length).toBeLessThanOrEqual(10);
  });
});
