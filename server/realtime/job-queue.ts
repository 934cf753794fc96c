/**
 * A session's one line of work: commands and tasks run in arrival order, never two at once, and
 * consecutive commands are handed over together so the store can write them in one transaction
 * (group commit). It knows nothing of the core or the store: the runtime says what a batch does.
 */

/** The most commands one batch holds; a longer run of commands is handed over in several. */
const MAX_BATCH = 256;

export interface CommandJob<C, R> {
  kind: 'command';
  command: C;
  resolve(result: R): void;
  reject(error: unknown): void;
}

interface TaskJob {
  kind: 'task';
  run(): Promise<void> | void;
  resolve(): void;
  reject(error: unknown): void;
}

export class JobQueue<C, R> {
  private readonly jobs: (CommandJob<C, R> | TaskJob)[] = [];
  private draining = false;

  /** `runBatch` answers every job it is given (resolve or reject), in order. */
  constructor(private readonly runBatch: (batch: readonly CommandJob<C, R>[]) => Promise<void>) {}

  /** Queues a command; resolves with what its batch answered for it. */
  command(command: C): Promise<R> {
    return new Promise<R>((resolve, reject) => this.push({ kind: 'command', command, resolve, reject }));
  }

  /** Queues a task that runs alone, after everything queued before it. */
  run(task: () => Promise<void> | void): Promise<void> {
    return new Promise<void>((resolve, reject) => this.push({ kind: 'task', run: task, resolve, reject }));
  }

  /** Resolves once everything queued so far has run. */
  async settle(): Promise<void> {
    while (this.draining || this.jobs.length > 0) await this.run(() => {});
  }

  private push(job: CommandJob<C, R> | TaskJob): void {
    this.jobs.push(job);
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.jobs.length > 0) {
        const first = this.jobs[0]!;
        if (first.kind === 'task') {
          this.jobs.shift();
          try {
            await first.run();
            first.resolve();
          } catch (error) {
            first.reject(error);
          }
          continue;
        }
        let n = 1;
        while (n < this.jobs.length && n < MAX_BATCH && this.jobs[n]!.kind === 'command') n += 1;
        await this.runBatch(this.jobs.splice(0, n) as CommandJob<C, R>[]);
      }
    } finally {
      this.draining = false;
    }
  }
}
