/**
 * A heal report retold for one person: which of their own writes lost under last-write-wins
 * (LWW3), and what merge-everything or human choice did to their posts. It only selects and
 * rephrases what the server reported; it never decides what is true.
 */
import { DC_LABEL, type HealReportView, type PostView, type Strategy, type WriteView } from '../../server/protocol/wire';
import { quote } from './format';
import { KIND_NOUN, MERGE_WORDS, healHeadline, lossReason, mayChoose, skewSentence, writeStamp } from './healWords';

/** One of my writes that a heal discarded. */
export interface LostEntry {
  key: string;
  postId: string;
  /** "Your edit of your post", "Your like on Ed's post “…”". */
  what: string;
  /** What was discarded ("“old text”", "your like"), and its datacenter clock time. */
  mine: string;
  mineStamp: string;
  /** What stayed instead, whose and when. */
  kept: string;
  reason: string;
  /** The skew that decided it, said to me: "Your clock (East) was 4.0 s behind West's: …" (healWords.ts). */
  skewNote: string | null;
}

/** A like someone else gave to one of my posts, lost under LWW2. */
export interface LostLike {
  key: string;
  postId: string;
  text: string;
}

/** One line of what merge-everything or human choice did to my posts. */
export interface StoryNote {
  key: string;
  /** The post the note links to (a duplicate, a broken thread), or null. */
  postId: string | null;
  text: string;
}

export interface HealStory {
  strategy: Strategy;
  at: number;
  /** The heal's headline, in the board's and the admin page's words. */
  headline: string;
  lost: LostEntry[];
  lostLikes: LostLike[];
  notes: StoryNote[];
}


/**
 * How a post is named to me: "the class post", "your post “…”", "Ed's post “…”". `bare` leaves
 * out the quote where the text itself is what the line is about (a lost edit).
 */
function postName(post: PostView | undefined, meId: string, bare = false): string {
  if (!post) return 'a post';
  if (post.pinned) return 'the class post';
  const text = post.deleted || bare ? '' : ` ${quote(post.text)}`;
  return post.authorId === meId ? `your post${text}` : `${post.authorName}'s post${text}`;
}

function whatWasLost(w: WriteView, target: string): string {
  switch (w.kind) {
    case 'edit':
      return `Your edit of ${target}`;
    case 'like':
      return `Your like on ${target}`;
    case 'unlike':
      return `Your unlike on ${target}`;
    case 'delete':
      return `Your delete of ${target}`;
    case 'create':
      return `Your post ${w.text === null ? '' : quote(w.text)}`.trim();
    case 'resolve':
      return `Your choice of a version of ${target}`;
    default: {
      const unknown: never = w.kind;
      return String(unknown);
    }
  }
}

function mineLine(w: WriteView): string {
  return w.kind === 'edit' && w.text !== null ? quote(w.text) : `your ${KIND_NOUN[w.kind]}`;
}

/** Under LWW the whole post is the winning side's version: its text, and the write that made it newest. */
function keptLine(w: WriteView, meId: string): string {
  const whose = w.byId === meId ? 'your own' : `${w.byName}'s`;
  const text = w.kind === 'edit' && w.text !== null ? `${quote(w.text)}: ` : '';
  return `${text}${DC_LABEL[w.dc]}'s version, last written by ${whose} ${KIND_NOUN[w.kind]} (${writeStamp(w)})`;
}

/** What the last heal did to `meId`'s writes and posts, against the posts as my datacenter now holds them. */
export function healStory(report: HealReportView, meId: string, posts: readonly PostView[]): HealStory {
  const byId = new Map(posts.map((p) => [p.id, p]));
  const isMine = (postId: string) => byId.get(postId)?.authorId === meId;
  const name = (postId: string) => postName(byId.get(postId), meId);

  const lost: LostEntry[] = report.lost
    .filter((l) => l.lost.byId === meId)
    .map((l) => ({
      key: l.lost.opId,
      postId: l.postId,
      what: whatWasLost(l.lost, l.lost.kind === 'edit' ? postName(byId.get(l.postId), meId, true) : name(l.postId)),
      mine: mineLine(l.lost),
      mineStamp: writeStamp(l.lost),
      kept: keptLine(l.winner, meId),
      reason: lossReason(l),
      skewNote: skewSentence(l, true),
    }));

  const lostLikes: LostLike[] = report.lost
    .filter((l) => l.lost.kind === 'like' && l.lost.byId !== meId && isMine(l.postId))
    .map((l) => ({ key: l.lost.opId, postId: l.postId, text: `${l.lost.byName}'s like (from ${DC_LABEL[l.lost.dc]}) on ${name(l.postId)}` }));

  const notes: StoryNote[] = [];
  for (const d of report.duplicates) {
    if (d.byId === meId) {
      notes.push({ key: `dup-${d.duplicateId}`, postId: d.duplicateId, text: `Your edit of ${name(d.postId)} became a separate post: a duplicate (merge everything keeps both versions).` });
    } else if (isMine(d.postId)) {
      notes.push({ key: `dup-${d.duplicateId}`, postId: d.duplicateId, text: `${name(d.postId)} now exists twice: ${d.byName}'s other version is a duplicate.`.replace(/^your/, 'Your') });
    }
  }
  for (const b of report.brokenThreads) {
    if (b.byId === meId) {
      notes.push({ key: `broken-${b.postId}`, postId: b.postId, text: `Your reply now hangs under a deleted post: a broken thread.` });
    } else if (isMine(b.parentId)) {
      notes.push({ key: `broken-${b.postId}`, postId: b.postId, text: `Your deleted post still has ${b.byName}'s reply under it: a broken thread.` });
    }
  }
  for (const p of report.phantomLikes) {
    if (p.byId === meId) notes.push({ key: `phantom-${p.postId}`, postId: p.postId, text: `Your like landed on a post that was deleted on the other side.` });
  }
  for (const r of report.resurrected) {
    if (isMine(r.postId)) {
      notes.push({ key: `back-${r.postId}`, postId: r.postId, text: `${name(r.postId)} came back: ${r.deletedByName} deleted it on one side, ${r.editedByName} edited it on the other.`.replace(/^your/, 'Your') });
    }
  }
  for (const m of report.likeMerges) {
    if (isMine(m.postId)) {
      notes.push({ key: `likes-${m.postId}`, postId: m.postId, text: `${MERGE_WORDS.likes(name(m.postId), m)}.` });
    }
  }
  return { strategy: report.strategy, at: report.at, headline: healHeadline(report), lost, lostLikes, notes };
}

/** Posts in conflict that this person may settle: their own, and the pinned class post (HUM2). */
export function conflictsToChoose(posts: readonly PostView[], meId: string): PostView[] {
  return posts.filter((p) => p.siblings !== null && mayChoose(p, meId));
}
