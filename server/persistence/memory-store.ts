import { DuplicateCodeError, type AppendResult, type BatchResult, type LogEntry, type PendingEntry, type SessionRecord, type StateSnapshot, type Store } from './store.ts';

interface SessionLog {
  entries: LogEntry[];
  keys: Set<string>;
  seqs: Set<number>;
}

/** Runs a synchronous store operation as the contract's promise: a throw becomes a rejection. */
function settle<T>(operation: () => T): Promise<T> {
  try {
    return Promise.resolve(operation());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** The store for tests and throwaway runs: the same contract as SQLite, kept in memory. */
export function createMemoryStore(): Store {
  const sessions = new Map<string, SessionRecord>();
  const logs = new Map<string, SessionLog>();
  const tokens = new Map<string, string>();
  const snapshots = new Map<string, StateSnapshot>();

  /** Checks a batch against the contract without changing anything; throws on a real conflict. */
  function check(sessionId: string, batch: readonly PendingEntry[]): { log: SessionLog; duplicates: number[] } {
    const log = logs.get(sessionId);
    if (!log) throw new Error(`unknown session ${sessionId}`);
    const keys = new Set<string>();
    const seqs = new Set<number>();
    const duplicates: number[] = [];
    batch.forEach(({ entry }, i) => {
      if (log.keys.has(entry.key) || keys.has(entry.key)) duplicates.push(i);
      else if (log.seqs.has(entry.seq) || seqs.has(entry.seq)) throw new Error(`seq ${entry.seq} already stored`);
      keys.add(entry.key);
      seqs.add(entry.seq);
    });
    return { log, duplicates };
  }

  function store(sessionId: string, log: SessionLog, batch: readonly PendingEntry[]): void {
    for (const { entry, token } of batch) {
      // A structured clone, so later changes to the caller's objects cannot change what was "stored".
      log.entries.push(structuredClone(entry));
      log.keys.add(entry.key);
      log.seqs.add(entry.seq);
      if (token) tokens.set(`${sessionId}:${token.tokenHash}`, token.participantId);
    }
  }

  return {
    createSession(session) {
      for (const s of sessions.values()) if (s.code === session.code) return Promise.reject(new DuplicateCodeError(session.code));
      sessions.set(session.id, { ...session });
      logs.set(session.id, { entries: [], keys: new Set(), seqs: new Set() });
      return Promise.resolve();
    },
    findSessionByCode(code) {
      for (const s of sessions.values()) if (s.code === code) return Promise.resolve({ ...s });
      return Promise.resolve(null);
    },
    listSessions() {
      return Promise.resolve([...sessions.values()].map((s) => ({ ...s })));
    },
    append(sessionId, entry, token) {
      return settle((): AppendResult => {
        const batch = [token ? { entry, token } : { entry }];
        const { log, duplicates } = check(sessionId, batch);
        if (duplicates.length > 0) return 'duplicate';
        store(sessionId, log, batch);
        return 'stored';
      });
    },
    appendMany(sessionId, batch) {
      return settle((): BatchResult => {
        const { log, duplicates } = check(sessionId, batch);
        if (duplicates.length > 0) return { stored: false, duplicates };
        store(sessionId, log, batch);
        return { stored: true };
      });
    },
    readLog(sessionId, fromSeq = 0) {
      const entries = (logs.get(sessionId)?.entries ?? []).filter((e) => e.seq >= fromSeq);
      return Promise.resolve(entries.sort((a, b) => a.seq - b.seq).map((e) => structuredClone(e)));
    },
    saveSnapshot(sessionId, snapshot) {
      if (!sessions.has(sessionId)) return Promise.reject(new Error(`unknown session ${sessionId}`));
      const kept = snapshots.get(sessionId);
      if (!kept || kept.seq <= snapshot.seq) snapshots.set(sessionId, { ...snapshot });
      return Promise.resolve();
    },
    loadSnapshot(sessionId) {
      const kept = snapshots.get(sessionId);
      return Promise.resolve(kept ? { ...kept } : null);
    },
    nextSeq(sessionId) {
      let next = 0;
      for (const seq of logs.get(sessionId)?.seqs ?? []) next = Math.max(next, seq + 1);
      return Promise.resolve(next);
    },
    endSession(sessionId, at, reason) {
      const session = sessions.get(sessionId);
      if (!session) return Promise.reject(new Error(`unknown session ${sessionId}`));
      if (session.endedAt === undefined) sessions.set(sessionId, { ...session, endedAt: at, endReason: reason });
      return Promise.resolve();
    },
    findParticipantByToken(sessionId, tokenHash) {
      return Promise.resolve(tokens.get(`${sessionId}:${tokenHash}`) ?? null);
    },
    close() {
      return Promise.resolve();
    },
  };
}
