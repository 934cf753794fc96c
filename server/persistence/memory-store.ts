import { DuplicateCodeError, type AppendResult, type LogEntry, type ParticipantToken, type SessionRecord, type Store } from './store.ts';

/** The store for tests and throwaway runs: the same contract as SQLite, kept in memory. */
export function createMemoryStore(): Store {
  const sessions = new Map<string, SessionRecord>();
  const logs = new Map<string, LogEntry[]>();
  const tokens = new Map<string, string>();

  return {
    createSession(session) {
      for (const s of sessions.values()) if (s.code === session.code) return Promise.reject(new DuplicateCodeError(session.code));
      sessions.set(session.id, { ...session });
      logs.set(session.id, []);
      return Promise.resolve();
    },
    findSessionByCode(code) {
      for (const s of sessions.values()) if (s.code === code) return Promise.resolve({ ...s });
      return Promise.resolve(null);
    },
    listSessions() {
      return Promise.resolve([...sessions.values()].map((s) => ({ ...s })));
    },
    append(sessionId: string, entry: LogEntry, token?: ParticipantToken): Promise<AppendResult> {
      const log = logs.get(sessionId);
      if (!log) return Promise.reject(new Error(`unknown session ${sessionId}`));
      if (log.some((e) => e.key === entry.key)) return Promise.resolve('duplicate');
      if (log.some((e) => e.seq === entry.seq)) return Promise.reject(new Error(`seq ${entry.seq} already stored`));
      // A structured clone, so later changes to the caller's objects cannot change what was "stored".
      log.push(structuredClone(entry));
      if (token) tokens.set(`${sessionId}:${token.tokenHash}`, token.participantId);
      return Promise.resolve('stored');
    },
    readLog(sessionId) {
      return Promise.resolve([...(logs.get(sessionId) ?? [])].sort((a, b) => a.seq - b.seq).map((e) => structuredClone(e)));
    },
    findParticipantByToken(sessionId, tokenHash) {
      return Promise.resolve(tokens.get(`${sessionId}:${tokenHash}`) ?? null);
    },
    close() {
      return Promise.resolve();
    },
  };
}
