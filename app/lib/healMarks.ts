/**
 * Which posts the last heal touched, and how: the marks on the board's feeds and the students'
 * (lost, duplicated, resurrected, chosen). Read off the report the server sent and the posts as
 * this screen holds them; nothing is decided here. Marks belong to the latest heal only, so a
 * note from an earlier round never stays on a post.
 */
import { isCutMode, type HealReportView, type LinkView, type PostView } from '../../server/protocol/wire';
import { MARK_LABEL, MARK_WORDS, lostMarkText, type Loss, type MarkKind } from './healWords';

/** One mark on one post: its kind (the colour), its label and sentence, and a post it links to. */
export interface PostMark {
  kind: MarkKind;
  label: string;
  text: string;
  link: { postId: string; text: string } | null;
}

/**
 * Marks stay up "for a while": from the heal until the next split begins. That is the lesson's
 * own rhythm (the class talks the heal over, then the next round starts with a cut), it needs no
 * timer on any screen, and every screen clears them at the same moment, when the link is cut.
 */
export function marksShown(report: HealReportView | null, link: Pick<LinkView, 'mode'>): report is HealReportView {
  return report !== null && !isCutMode(link.mode);
}

/**
 * The marks of `report` on one datacenter's `posts`, by post id. `meId` says "your edit" to the
 * student who wrote it. A post in conflict keeps its banner; once a person has chosen it is marked
 * "Chosen" (HUM2).
 */
export function healMarks(report: HealReportView, posts: readonly PostView[], meId: string | null = null): Map<string, PostMark[]> {
  const marks = new Map<string, PostMark[]>();
  const add = (postId: string, mark: Omit<PostMark, 'label'>) => {
    const list = marks.get(postId) ?? [];
    list.push({ ...mark, label: MARK_LABEL[mark.kind] });
    marks.set(postId, list);
  };
  const losses = new Map<string, Loss[]>();
  for (const loss of report.lost) losses.set(loss.postId, [...(losses.get(loss.postId) ?? []), loss]);
  for (const [postId, list] of losses) add(postId, { kind: 'lost', text: lostMarkText(list, meId), link: null });
  for (const d of report.duplicates) {
    add(d.postId, { kind: 'duplicated', text: MARK_WORDS.duplicated.text, link: { postId: d.duplicateId, text: MARK_WORDS.duplicated.link } });
    add(d.duplicateId, { kind: 'duplicate', text: MARK_WORDS.duplicate.text, link: { postId: d.postId, text: MARK_WORDS.duplicate.link } });
  }
  for (const r of report.resurrected) add(r.postId, { kind: 'resurrected', text: MARK_WORDS.resurrected(r.deletedByName, r.editedByName), link: null });
  if (report.conflicts.length > 0) {
    const byId = new Map(posts.map((p) => [p.id, p]));
    for (const c of report.conflicts) {
      const post = byId.get(c.postId);
      if (post && post.siblings === null) add(c.postId, { kind: 'chosen', text: MARK_WORDS.chosen, link: null });
    }
  }
  return marks;
}
