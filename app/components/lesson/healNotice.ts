/** What a heal did to the class and to one person, in one sentence each (the student's notice). */
import { STRATEGY_LABEL, type HealReportView } from '../../../server/protocol/wire';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "2 edits by Ana and 1 by Ben were lost". */
function byPerson(entries: readonly { byId: string; byName: string }[], me: string): string {
  const counts = new Map<string, { name: string; n: number }>();
  for (const e of entries) {
    const c = counts.get(e.byId) ?? { name: e.byId === me ? 'you' : e.byName, n: 0 };
    c.n += 1;
    counts.set(e.byId, c);
  }
  return [...counts.values()].map((c, i) => `${i === 0 ? plural(c.n, 'write', 'writes') : c.n} by ${c.name}`).join(', ');
}

export function healNotice(report: HealReportView, me: string): { title: string; forClass: string; forMe: string } {
  const title = `Healed with ${STRATEGY_LABEL[report.strategy].toLowerCase()}`;
  switch (report.strategy) {
    case 'lww': {
      const lost = report.lost.map((l) => l.lost);
      const mine = lost.filter((w) => w.byId === me).length;
      return {
        title,
        forClass: lost.length === 0 ? 'nothing was lost' : `${byPerson(lost, me)} ${lost.length === 1 ? 'was' : 'were'} lost`,
        forMe: mine === 0 ? 'yours all survived' : `${plural(mine, 'write', 'writes')} of yours ${mine === 1 ? 'was' : 'were'} lost`,
      };
    }
    case 'merge': {
      const mine = report.duplicates.filter((d) => d.byId === me).length;
      const likes = report.likeMerges.reduce((n, m) => n + m.total, 0);
      return {
        title,
        forClass: `nothing was lost; ${plural(report.duplicates.length, 'post came back twice', 'posts came back twice')}, ${plural(likes, 'like', 'likes')} added up`,
        forMe: mine === 0 ? 'none of your posts was duplicated' : `${plural(mine, 'post', 'posts')} of yours now ${mine === 1 ? 'has' : 'have'} a duplicate`,
      };
    }
    case 'human': {
      const mine = report.conflicts.filter((c) => c.authorId === me).length;
      return {
        title,
        forClass: `${plural(report.conflicts.length, 'post waits', 'posts wait')} for a person to choose`,
        forMe: mine === 0 ? 'nothing of yours waits for a choice' : `${plural(mine, 'post', 'posts')} of yours ${mine === 1 ? 'waits' : 'wait'} for your choice`,
      };
    }
    default: {
      const unknown: never = report.strategy;
      return { title: String(unknown), forClass: '', forMe: '' };
    }
  }
}
