/**
 * The one place a heal's facts become words. The core reports numbers and ids (which rule decided
 * a loss, how far a clock was behind); the board, the admin page, a student's ledger, the
 * student's notice and the marks on posts all phrase them here, so they say the same thing in
 * the same words, with one time format and one skew format (format.ts).
 */
import { DC_LABEL, STRATEGY_LABEL, type Chooser, type HealReportView, type PostView, type WriteView } from '../../server/protocol/wire';
import { formatSeconds, formatSkew, formatTime } from './format';

/** One LWW loss as the report carries it. */
export type Loss = HealReportView['lost'][number];

/** What a write is called in a sentence: "Ed's edit", "a lost like". */
export const KIND_NOUN: Readonly<Record<WriteView['kind'], string>> = {
  create: 'post',
  edit: 'edit',
  delete: 'delete',
  like: 'like',
  unlike: 'unlike',
  resolve: 'choice',
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Where and when a write was stamped: "East clock 09:59:59.0" (LWW compares these). */
export function writeStamp(w: WriteView): string {
  return `${DC_LABEL[w.dc]} clock ${formatTime(w.wall)}`;
}

/** Whose write it was: "Ed's edit" (or "your edit" said to its writer). */
export function writeName(w: WriteView, meId: string | null = null): string {
  return `${w.byId === meId ? 'your' : `${w.byName}'s`} ${KIND_NOUN[w.kind]}`;
}

/** LWW1's rule that decided, in one sentence: the later timestamp, or which tie-break. */
export function lossReason(loss: Loss): string {
  const winner = DC_LABEL[loss.winner.dc];
  switch (loss.decidedBy) {
    case 'later-timestamp':
      return `${winner}'s version has the later timestamp (${formatSeconds(loss.aheadMs)} later on the clocks): the last write wins.`;
    case 'delete-on-tie':
      return 'Same timestamp on both clocks: a delete beats an edit.';
    case 'datacenter-on-tie':
      return `Same timestamp on both clocks: ${winner} wins ties.`;
    default: {
      const unknown: never = loss.decidedBy;
      return String(unknown);
    }
  }
}

/**
 * LWW3's "your clock was behind", when skew decided the loss: the losing clock, how far behind
 * the winner's it was, and how much later the write really came. Said to the class ("East's
 * clock") or to the person who lost ("Your clock (East)"); the rest of the words are the same.
 */
export function skewSentence(loss: Loss, toLoser = false): string | null {
  if (loss.skew === null) return null;
  const clock = toLoser ? `Your clock (${DC_LABEL[loss.lost.dc]})` : `${DC_LABEL[loss.lost.dc]}'s clock`;
  const behind = formatSkew(-loss.skew.behindMs, `${DC_LABEL[loss.winner.dc]}'s`);
  return `${clock} was ${behind}: ${toLoser ? 'you really wrote' : 'this write really came'} ${formatSeconds(loss.skew.laterMs)} later, and still lost.`;
}

/** The board's line for one loss: "Ed's edit (East clock 09:59:59.0) on “…” lost to Ana's edit (West clock 10:00:00.0)." */
export function lossLine(loss: Loss, post: string): string {
  return `${writeName(loss.lost)} (${writeStamp(loss.lost)}) on ${post} lost to ${writeName(loss.winner)} (${writeStamp(loss.winner)}).`;
}

/** "West +3, East +2 → +5" (MRG2); when the post had likes before, the total is said as a count. */
export function likeMergeText(m: { west: number; east: number; total: number }): string {
  return `${DC_LABEL.west} +${m.west}, ${DC_LABEL.east} +${m.east} → ${m.total === m.west + m.east ? `+${m.total}` : `${m.total} likes`}`;
}

/** Merge-everything's oddities, one sentence each, with the post named by the caller. */
export const MERGE_WORDS = {
  duplicate: (post: string, byName: string) => `Duplicate: ${post} now exists twice (${byName}'s other version became its own post).`,
  resurrected: (post: string, deletedBy: string, editedBy: string) => `Resurrected: ${post} was deleted by ${deletedBy} and edited by ${editedBy}: it is back.`,
  phantomLike: (post: string, byName: string) => `Phantom like: ${byName} liked ${post}, deleted on the other side.`,
  brokenThread: (reply: string, byName: string) => `Broken thread: ${byName}'s reply ${reply} hangs under a deleted post.`,
  likes: (post: string, m: { west: number; east: number; total: number }) => `Likes on ${post}: ${likeMergeText(m)}`,
} as const;

/**
 * A heal's headline, the same on the board, the admin page and a student's ledger: "Healed with
 * last write wins at 10:00:09.0: the link held 2 messages from West and 3 from East."
 */
export function healHeadline(report: Pick<HealReportView, 'strategy' | 'at' | 'held'>): string {
  const { west, east } = report.held;
  return `Healed with ${STRATEGY_LABEL[report.strategy].toLowerCase()} at ${formatTime(report.at)}: the link held ${plural(west, 'message', 'messages')} from ${DC_LABEL.west} and ${east} from ${DC_LABEL.east}.`;
}

/**
 * Who a conflict waits for, named (HUM2): its author, or "anyone" for the class post. The rule is
 * the core's (`mayChoose` on the post and the report); this only says it.
 */
export function chooserName(mayChoose: Chooser, authorName: string): string {
  return mayChoose === 'anyone' ? 'anyone' : authorName;
}

/** Whether `meId` may choose between a post's versions, by the core's rule the post carries. */
export function mayChoose(post: Pick<PostView, 'mayChoose' | 'authorId'>, meId: string): boolean {
  return post.mayChoose === 'anyone' || (post.mayChoose === 'author' && post.authorId === meId);
}

// ---- marks on posts ---------------------------------------------------------------------------

/** What the last heal did to a post, as a mark on its card (the board's feeds and the students'). */
export type MarkKind = 'lost' | 'duplicated' | 'duplicate' | 'resurrected' | 'chosen';

/** The mark's short label, shown as text beside its colour (colour is never the only signal). */
export const MARK_LABEL: Readonly<Record<MarkKind, string>> = {
  lost: 'Lost',
  duplicated: 'Duplicated',
  duplicate: 'Duplicate',
  resurrected: 'Resurrected',
  chosen: 'Chosen',
};

/** "Ed's edit and Eve's like lost to West's version (last write wins)." */
export function lostMarkText(losses: readonly Loss[], meId: string | null = null): string {
  const names = losses.map((l) => writeName(l.lost, meId));
  const listed = names.length <= 3 ? joinAnd(names) : `${joinAnd(names.slice(0, 2))} and ${plural(names.length - 2, 'other write', 'other writes')}`;
  const winner = losses[0]?.winner.dc;
  return `${listed.charAt(0).toUpperCase()}${listed.slice(1)} lost to ${winner ? DC_LABEL[winner] : 'the other side'}'s version (last write wins).`;
}

/** The sentences of the other marks; a duplicate's link text is the part after the sentence. */
export const MARK_WORDS = {
  duplicated: { text: 'Its other version became a post of its own:', link: 'the duplicate' },
  duplicate: { text: 'Duplicate of', link: 'another version' },
  resurrected: (deletedBy: string, editedBy: string) => `Deleted by ${deletedBy}, edited by ${editedBy} on the other side: merge everything brought it back.`,
  chosen: 'A person chose the version that stays (human choice).',
} as const;

function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

// ---- the student's notice ----------------------------------------------------------------------

/** "2 writes by Ana, 1 by you": counted per person over the items the screen has. */
function byPerson(entries: readonly { byId: string; byName: string }[], me: string): string {
  const counts = new Map<string, { name: string; n: number }>();
  for (const e of entries) {
    const c = counts.get(e.byId) ?? { name: e.byId === me ? 'you' : e.byName, n: 0 };
    c.n += 1;
    counts.set(e.byId, c);
  }
  return [...counts.values()].map((c, i) => `${i === 0 ? plural(c.n, 'write', 'writes') : c.n} by ${c.name}`).join(', ');
}

/**
 * After every heal, what happened to the class and to me, in one line each ("Healed with last
 * write wins: 2 writes by Ana were lost; yours all survived"). Class counts are the report's
 * totals; names only when every item is on this screen (a student gets a sample beyond their own).
 */
export function healNotice(report: HealReportView, me: string): { title: string; forClass: string; forMe: string } {
  const title = `Healed with ${STRATEGY_LABEL[report.strategy].toLowerCase()}`;
  switch (report.strategy) {
    case 'lww': {
      const lost = report.lost.map((l) => l.lost);
      const total = report.totals.lost;
      const mine = lost.filter((w) => w.byId === me).length;
      const who = lost.length === total ? byPerson(lost, me) : plural(total, 'write', 'writes');
      return {
        title,
        forClass: total === 0 ? 'nothing was lost' : `${who} ${total === 1 ? 'was' : 'were'} lost`,
        forMe: mine === 0 ? 'yours all survived' : `${plural(mine, 'write', 'writes')} of yours ${mine === 1 ? 'was' : 'were'} lost`,
      };
    }
    case 'merge': {
      const mine = report.duplicates.filter((d) => d.byId === me).length;
      const likes = report.likeMerges.reduce((n, m) => n + m.total, 0);
      return {
        title,
        forClass: `nothing was lost; ${plural(report.totals.duplicates, 'post came back twice', 'posts came back twice')}, ${plural(likes, 'like', 'likes')} added up`,
        forMe: mine === 0 ? 'none of your posts was duplicated' : `${plural(mine, 'post', 'posts')} of yours now ${mine === 1 ? 'has' : 'have'} a duplicate`,
      };
    }
    case 'human': {
      const mine = report.conflicts.filter((c) => c.authorId === me).length;
      return {
        title,
        forClass: `${plural(report.totals.conflicts, 'post waits', 'posts wait')} for a person to choose`,
        forMe: mine === 0 ? 'nothing of yours waits for a choice' : `${plural(mine, 'post', 'posts')} of yours ${mine === 1 ? 'waits' : 'wait'} for your choice`,
      };
    }
    default: {
      const unknown: never = report.strategy;
      return { title: String(unknown), forClass: '', forMe: '' };
    }
  }
}
