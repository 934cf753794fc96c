/**
 * One owner per session among the server processes sharing a PostgreSQL database (MP1, MP2): the
 * process holding a session's lease runs its SessionRuntime, the others do not load it. A session is
 * loaded lazily, on the first command that needs it while its lease is free or expired; the lease is
 * renewed while the process lives, and a runtime whose lease was lost (the process paused longer
 * than the lease) is dropped, so the new owner's log is the only one written (the store fences it).
 */
import type { Leases } from '../../persistence/pg-store.ts';
import type { SessionRecord } from '../../persistence/store.ts';
import { rooms, serveStored, type Hub } from '../hub.ts';

/** Where a session is served: here (its runtime is loaded), or by the process with this id. */
export type Place = { here: true } | { here: false; owner: string };

export class Owners {
  private readonly loads = new Map<string, Promise<void>>();
  /** Session id -> join code, learnt on lookups: the record itself is read again at each load (its end may be newer). */
  private readonly codes = new Map<string, string>();
  /** Owners seen elsewhere, trusted for a third of a lease: a forwarded event costs no lease query. */
  private readonly seen = new Map<string, { owner: string; until: number }>();
  private readonly renewer: NodeJS.Timeout;

  constructor(
    private readonly hub: Hub,
    readonly leases: Leases,
    /** How long a lease lasts without renewal: an owner's death is noticed after at most this. */
    readonly ttlMs: number,
  ) {
    // Renewed three times per lease: one slow round-trip to the database does not lose it.
    this.renewer = setInterval(() => void this.renew(), Math.max(100, Math.floor(ttlMs / 3)));
    this.renewer.unref();
  }

  /** The session behind a join code, from the live ones or the database; null when there is none. */
  async sessionIdOf(code: string): Promise<string | null> {
    const live = this.hub.byCode.get(code);
    if (live) return live.record.id;
    const record = await this.hub.store.findSessionByCode(code);
    if (!record) return null;
    this.codes.set(record.id, record.code);
    return record.id;
  }

  /** The session's join code when this process has met it (a forwarded request carries it to the owner). */
  codeOf(sessionId: string): string | undefined {
    return this.codes.get(sessionId) ?? this.hub.byId.get(sessionId)?.code;
  }

  remember(sessionId: string, code: string | undefined): void {
    if (code) this.codes.set(sessionId, code);
  }

  /** The owner seen last did not answer as one (it died, or handed the session on): ask the database next time. */
  forget(sessionId: string): void {
    this.seen.delete(sessionId);
  }

  /** A session this process just created: the lease is taken before anyone else can know its code. */
  async created(record: SessionRecord): Promise<void> {
    this.codes.set(record.id, record.code);
    const owner = await this.leases.claim(record.id, this.ttlMs);
    if (owner !== this.leases.owner) throw new Error(`session ${record.code} was claimed by ${owner} as it was being created`);
  }

  /** The live owner when it is another process, without taking a free lease (null: here, or nobody). */
  async elsewhere(sessionId: string): Promise<string | null> {
    if (this.hub.byId.has(sessionId)) return null;
    const seen = this.seen.get(sessionId);
    const owner = seen && seen.until > Date.now() ? seen.owner : await this.leases.ownerOf(sessionId);
    return owner === this.leases.owner ? null : owner;
  }

  /**
   * Where the session is served now. Takes its lease when it is free or expired (the owner died or
   * stopped) and loads it here: its newest snapshot plus the log's tail (REL1), so every op id the
   * old owner stored is known and not applied again (REL2).
   */
  async place(sessionId: string): Promise<Place> {
    for (;;) {
      if (this.hub.byId.has(sessionId)) return { here: true };
      const loading = this.loads.get(sessionId);
      if (loading) {
        await loading;
        continue;
      }
      const seen = this.seen.get(sessionId);
      if (seen && seen.until > Date.now()) return { here: false, owner: seen.owner };
      const owner = await this.leases.claim(sessionId, this.ttlMs);
      if (owner !== this.leases.owner) {
        this.seen.set(sessionId, { owner, until: Date.now() + this.ttlMs / 3 });
        return { here: false, owner };
      }
      this.seen.delete(sessionId);
      if (this.hub.byId.has(sessionId) || this.loads.has(sessionId)) continue;
      const load = this.load(sessionId).finally(() => this.loads.delete(sessionId));
      this.loads.set(sessionId, load);
      await load;
      if (!this.hub.byId.has(sessionId)) throw new Error(`session ${sessionId} could not be loaded here`);
    }
  }

  private async load(sessionId: string): Promise<void> {
    const { hub } = this;
    const code = this.codes.get(sessionId) ?? (await hub.store.listSessions()).find((r) => r.id === sessionId)?.code;
    const record = code ? await hub.store.findSessionByCode(code) : null;
    if (!record) throw new Error(`no stored session ${sessionId}`);
    const started = Date.now();
    await serveStored(hub, record);
    hub.log(`session ${record.code} is served here now (lease taken, loaded in ${Date.now() - started} ms)`);
    // PRES1 across processes: whoever is in the session on any process is online in it here.
    void hub.io
      .in(rooms.all(sessionId))
      .fetchSockets()
      .then((sockets) => {
        const runtime = hub.byId.get(sessionId);
        if (!runtime) return;
        for (const socket of sockets) {
          const person = socket.data.participantId;
          if (socket.data.sessionId === sessionId && person) runtime.presence.set(person, (runtime.presence.get(person) ?? 0) + 1);
        }
      })
      .catch(() => {});
  }

  /** Keeps this process's leases alive; drops every runtime whose lease it no longer holds. */
  private async renew(): Promise<void> {
    let kept: Set<string>;
    try {
      kept = new Set(await this.leases.renew(this.ttlMs));
    } catch (error) {
      this.hub.log(`lease renewal failed: ${String(error)}`);
      return;
    }
    for (const id of [...this.hub.byId.keys()]) if (!kept.has(id) && !this.loads.has(id)) this.drop(id);
  }

  /** This process no longer owns the session: its runtime goes, and the next command finds the owner. */
  drop(sessionId: string): void {
    const runtime = this.hub.byId.get(sessionId);
    if (!runtime) return;
    this.hub.log(`session ${runtime.code} is no longer served here: its lease was lost`);
    runtime.close();
    this.hub.byId.delete(sessionId);
    this.hub.byCode.delete(runtime.code);
    this.hub.consensus.get(sessionId)?.stop();
    this.hub.consensus.delete(sessionId);
  }

  /** A graceful stop: the other processes take the sessions at once instead of after the expiry. */
  async close(): Promise<void> {
    clearInterval(this.renewer);
    await this.leases.releaseAll();
  }
}
