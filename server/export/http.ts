/**
 * Export and import over HTTP, for the instructor only. Downloads are too large for a socket
 * frame and are files anyway: the admin page fetches them with the instructor secret in an
 * `Authorization: Bearer` header (never in the URL, which logs and proxies keep) and saves a Blob.
 *
 *   GET  /api/export/<CODE>.json         the versioned JSON document (document.ts)
 *   GET  /api/export/<CODE>.csv          posts per datacenter, then every lost or merged write
 *   GET  /api/export/<CODE>.shiviz.txt   ShiViz's input: the regular expression, then the events
 *   POST /api/import                     an exported JSON document: a new session, a new secret
 *
 * An ended session (SEC6) exports like a live one: the archive is read-only, not closed.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DuplicateCodeError, type SessionRecord, type Store } from '../persistence/store.ts';
import type { ImportedSession } from '../protocol/index.ts';
import type { SessionRuntime } from '../realtime/session-runtime.ts';
import { hashSecret, newJoinCode, newSecret, secretMatches } from '../realtime/secrets.ts';
import { ImportError, MAX_IMPORT_BYTES, exportDocument, validateImport } from './document.ts';
import { sessionCsv, shivizLog } from './formats.ts';

export interface ApiDeps {
  store: Store;
  clock: () => number;
  /** The session behind a code; in cluster mode it may be served by another process, and only its record is read. */
  session(code: string): Promise<Pick<SessionRuntime, 'record'> | undefined>;
  /** Loads sessions the store holds and the server does not serve yet (an import). */
  restore(): Promise<void>;
  /** Whether the request's Origin (if any) is one of ours: an import is refused from another site. */
  sameOrigin(req: IncomingMessage): boolean;
  /** Who is asking, for the limits. */
  address(req: IncomingMessage): string;
}

/** Requests per address per minute: an export replays the log, an import creates a session. */
const PER_MINUTE = { export: 30, import: 20 };

function send(res: ServerResponse, status: number, body: string, type = 'application/json; charset=utf-8', extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

function error(res: ServerResponse, status: number, message: string): void {
  send(res, status, JSON.stringify({ error: message }));
}

/** Reads a body up to `max` bytes; null once it is larger (the rest is not read). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) {
      resolve(null);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Handles /api/export and /api/import; false for any other path (the pages get it). */
export function apiHandler(deps: ApiDeps): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const spent = new Map<string, { minute: number; count: number }>();
  const allowed = (kind: keyof typeof PER_MINUTE, req: IncomingMessage) => {
    const minute = Math.floor(deps.clock() / 60_000);
    const key = `${kind}:${deps.address(req)}`;
    const used = spent.get(key);
    const count = used?.minute === minute ? used.count + 1 : 1;
    if (spent.size > 10_000) spent.clear();
    spent.set(key, { minute, count });
    return count <= PER_MINUTE[kind];
  };

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const exported = /^\/api\/export\/([A-Za-z0-9]{6})\.(json|csv|shiviz\.txt)$/.exec(url.pathname);
    if (exported) {
      if (req.method !== 'GET') return error(res, 405, 'Use GET.'), true;
      if (!allowed('export', req)) return error(res, 429, 'Too many downloads: wait a minute.'), true;
      const code = exported[1]!.toUpperCase();
      const runtime = await deps.session(code);
      const secret = /^Bearer (\S{16,128})$/.exec(req.headers.authorization ?? '')?.[1];
      if (!runtime || !secret || !secretMatches(secret, runtime.record.secretHash)) return error(res, 403, 'Only the instructor can download the session: open the admin link again.'), true;
      const log = await deps.store.readLog(runtime.record.id);
      const format = exported[2]!;
      const file = `split-brain-${code}`;
      if (format === 'json') send(res, 200, JSON.stringify(exportDocument(runtime.record, log)), 'application/json; charset=utf-8', { 'Content-Disposition': `attachment; filename="${file}.json"` });
      else if (format === 'csv') send(res, 200, sessionCsv(runtime.record, log, deps.clock()), 'text/csv; charset=utf-8', { 'Content-Disposition': `attachment; filename="${file}.csv"` });
      else send(res, 200, shivizLog(runtime.record.seed, log), 'text/plain; charset=utf-8', { 'Content-Disposition': `attachment; filename="${file}.shiviz.txt"` });
      return true;
    }
    if (url.pathname !== '/api/import') return false;
    if (req.method !== 'POST') return error(res, 405, 'Use POST.'), true;
    if (!deps.sameOrigin(req)) return error(res, 403, 'Imports come from this site only.'), true;
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return error(res, 415, 'Send the exported file as application/json.'), true;
    if (!allowed('import', req)) return error(res, 429, 'Too many imports: wait a minute.'), true;
    const body = await readBody(req, MAX_IMPORT_BYTES);
    if (body === null) return error(res, 413, `That file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: it is not an export this server reads.`), true;
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch {
      return error(res, 400, 'That file is not JSON: choose a .json file exported from Split-Brain Lab.'), true;
    }
    let importable;
    try {
      importable = validateImport(value);
    } catch (failure) {
      if (failure instanceof ImportError) return error(res, 422, failure.message), true;
      throw failure;
    }
    const secret = newSecret();
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const record: SessionRecord = { id: randomUUID(), code: newJoinCode(), secretHash: hashSecret(secret), seed: importable.seed, createdAt: importable.createdAt };
      try {
        await deps.store.createSession(record);
      } catch (failure) {
        if (failure instanceof DuplicateCodeError) continue;
        throw failure;
      }
      await deps.store.appendMany(record.id, importable.log.map((entry) => ({ entry })));
      await deps.restore();
      const created: ImportedSession = { code: record.code, secret, entries: importable.log.length };
      send(res, 201, JSON.stringify(created));
      return true;
    }
    return error(res, 500, 'Could not find a free join code; try again.'), true;
  };
}
