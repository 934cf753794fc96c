/** The consensus view's log lines: what happened in the two simulations, in words. */
import type { NaiveEvent, RaftEvent, Told } from '../sim/raft/index.ts';

/** One line for an event worth telling the class, or null for the chatter (votes, drops). */
export function describe(event: RaftEvent | NaiveEvent, prefix: string): string | null {
  switch (event.type) {
    case 'elected':
      return `${prefix}${event.node} is elected leader of term ${event.term} (votes: ${event.voters.join(', ')})`;
    case 'timedOut':
      return `${prefix}${event.node} times out and stands for term ${event.term}`;
    case 'steppedDown':
      return `${prefix}${event.node} steps down: it saw term ${event.term}`;
    case 'promoted':
      return `${prefix}${event.node} promotes itself to primary`;
    case 'discarded':
      return `${prefix}${event.node} discards ${event.entries.length} uncommitted entr${event.entries.length === 1 ? 'y' : 'ies'}`;
    case 'committed':
      return `${prefix}${event.node} commits entry ${event.index}`;
    case 'writeRejected':
      return `${prefix}write "${event.value}" refused (${event.reason})`;
    case 'crashed':
      return `${event.node} crashed`;
    case 'restarted':
      return `${event.node} restarted`;
    case 'cutSet':
      return null;
    case 'voted':
    case 'gaveUp':
    case 'dropped':
    case 'writeAccepted':
      return null;
    default: {
      const unknown: never = event;
      return String(unknown);
    }
  }
}

/** The player's told facts as the log's lines, oldest first. */
export function toldLines(told: readonly Told[]): string[] {
  const lines: string[] = [];
  for (const t of told) {
    if (t.from === 'fresh') {
      const elected = t.leaders.map((l) => `${l.id} is leader of term ${l.term}`);
      lines.push(`A fresh cluster${elected.length > 0 ? `: ${elected.join(', ')}` : ''}`);
      continue;
    }
    const line = describe(t.event, t.from === 'raft' ? 'Raft: ' : 'Naive: ');
    if (line !== null) lines.push(line);
  }
  return lines;
}
