/**
 * What a heal did, or would do (PRE1): LWW's lost writes, merge-everything's duplicates and
 * broken threads, human choice's conflicts. Shared by the board and the admin page; everything
 * here is the server's report laid out, nothing is recomputed except who still has to choose,
 * which is read off the posts the server sent.
 */
import type { ReactNode } from 'react';
import { DC_IDS, STRATEGIES, STRATEGY_LABEL, type Dc, type HealReportView, type PostView, type SiblingView, type Strategy, type WriteView } from '../../../server/protocol/wire';
import { DcName } from '../DcBadge';
import { quote } from '../../lib/format';
import { KIND_NOUN, MERGE_WORDS, chooserName, healHeadline, lossLine, lossReason, skewSentence } from '../../lib/healWords';
import './HealReports.css';

/** Names posts in sentences: their first words, or "the class post". */
export interface PostLabeler {
  label: (postId: string) => string;
}

/** A labeler over both datacenters' posts (a post only one side has is still found). */
export function postLabeler(posts: Readonly<Record<Dc, readonly PostView[]>>): PostLabeler {
  const byId = new Map<string, PostView>();
  for (const dc of DC_IDS) for (const p of posts[dc]) if (!byId.has(p.id)) byId.set(p.id, p);
  return {
    label: (postId) => {
      const post = byId.get(postId);
      if (!post) return 'a post';
      if (post.pinned) return 'the class post';
      return quote(post.siblings?.[0]?.text ?? post.text);
    },
  };
}

/** A post still in conflict (HUM3) and who may settle it: its author, or anyone for the class post. */
export interface OpenConflict {
  post: PostView;
  waitingFor: string;
}

/** Posts that still carry siblings in either datacenter, once each. */
export function openConflicts(posts: Readonly<Record<Dc, readonly PostView[]>>): OpenConflict[] {
  const seen = new Set<string>();
  const open: OpenConflict[] = [];
  for (const dc of DC_IDS) {
    for (const post of posts[dc]) {
      if (post.siblings === null || seen.has(post.id)) continue;
      seen.add(post.id);
      open.push({ post, waitingFor: chooserName(post.mayChoose ?? 'author', post.authorName) });
    }
  }
  return open;
}

type Tone = 'plain' | 'bad' | 'warn' | 'ok';

/** One headline number of a report: the value, what it counts, its colour, and a test id. */
export interface StatLine {
  value: number;
  label: string;
  tone: Tone;
  testId?: string;
}

function Stat({ value, label, testId, tone }: StatLine) {
  return (
    <div className={`board-heal-stat board-heal-stat-${value === 0 ? 'zero' : tone}`}>
      <span className="board-heal-stat-value" data-testid={testId}>
        {value}
      </span>
      <span className="board-heal-stat-label">{label}</span>
    </div>
  );
}

function Versions({ siblings }: { siblings: readonly SiblingView[] }) {
  return (
    <span className="board-heal-versions">
      {siblings.map((s) => (
        <span key={s.dc} className="board-heal-version" data-dc={s.dc}>
          <DcName dc={s.dc} />: {s.deleted ? <em>deleted</em> : quote(s.text, 28)} ({s.byName})
        </span>
      ))}
    </span>
  );
}

/** Counts what happened to whom: `tally(items, whose, what)` adds "2 lost edits" to a person's lines. */
type Tally = <T>(items: readonly T[], nameOf: (t: T) => string, what: (t: T) => string) => void;

/**
 * How one strategy's report is shown: its headline numbers, its list, the words when the list is
 * empty, the verb of the preview, and what it did to each person. A new strategy adds one entry.
 */
export interface StrategyPresenter {
  previewVerb: string;
  nothing: string;
  /** `conflictsLeft` is null in a preview (nobody can choose yet) and the live count after a heal. */
  stats: (report: HealReportView, prefix: string, conflictsLeft: number | null) => StatLine[];
  items: (report: HealReportView, posts: PostLabeler, conflicts: readonly OpenConflict[] | null) => ReactNode[];
  tallyPeople: (report: HealReportView, conflicts: readonly OpenConflict[], tally: Tally) => void;
}

/** What merge-everything and human choice both report: threads broken by a delete, likes added up. */
function mergedItems(report: HealReportView, label: (postId: string) => string): ReactNode[] {
  return [
    ...report.brokenThreads.map((b, i) => (
      <li key={`bt-${i}`} className="board-heal-item">
        {MERGE_WORDS.brokenThread(label(b.postId), b.byName)}
      </li>
    )),
    ...report.likeMerges.map((m) => (
      <li key={`lm-${m.postId}`} className="board-heal-item">
        {MERGE_WORDS.likes(label(m.postId), m)}
      </li>
    )),
  ];
}

const isLike = (w: WriteView) => w.kind === 'like' || w.kind === 'unlike';

/** Every strategy's presenter: the board, the admin page's preview and its last heal all read these. */
export const PRESENTERS: Record<Strategy, StrategyPresenter> = {
  lww: {
    previewVerb: 'would lose',
    nothing: 'Nothing would be lost.',
    stats: (report, prefix) => {
      const likes = report.lost.filter((l) => isLike(l.lost)).length;
      return [
        { value: report.totals.lost - likes, label: 'edits and deletes lost', testId: `${prefix}-lost`, tone: 'bad' },
        { value: likes, label: 'likes lost', testId: `${prefix}-lost-likes`, tone: 'bad' },
        { value: report.lost.filter((l) => l.skew !== null).length, label: 'decided by a skewed clock', tone: 'warn' },
      ];
    },
    items: (report, { label }) =>
      report.lost.map((l, i) => {
        const skew = skewSentence(l);
        return (
          <li key={`lost-${i}`} className="board-heal-item board-heal-item-lost">
            {lossLine(l, label(l.postId))} <span className="board-heal-reason">{lossReason(l)}</span>
            {skew !== null && <span className="board-heal-skew"> {skew}</span>}
          </li>
        );
      }),
    tallyPeople: (report, _conflicts, tally) => tally(report.lost, (l) => l.lost.byName, (l) => `lost ${KIND_NOUN[l.lost.kind]}`),
  },
  merge: {
    previewVerb: 'would duplicate',
    nothing: 'Nothing duplicated or broken.',
    stats: (report, prefix) => [
      { value: report.totals.duplicates, label: 'duplicates', testId: `${prefix}-duplicates`, tone: 'warn' },
      { value: report.totals.brokenThreads, label: 'broken threads', tone: 'warn' },
      { value: report.totals.phantomLikes, label: 'phantom likes', tone: 'warn' },
      { value: report.totals.resurrected, label: 'resurrected', tone: 'warn' },
      { value: report.totals.likeMerges, label: 'like counts merged', tone: 'ok' },
    ],
    items: (report, { label }) => [
      ...report.duplicates.map((d, i) => (
        <li key={`dup-${i}`} className="board-heal-item">
          {MERGE_WORDS.duplicate(label(d.postId), d.byName)}
        </li>
      )),
      ...report.resurrected.map((r, i) => (
        <li key={`res-${i}`} className="board-heal-item">
          {MERGE_WORDS.resurrected(label(r.postId), r.deletedByName, r.editedByName)}
        </li>
      )),
      ...report.phantomLikes.map((p, i) => (
        <li key={`ph-${i}`} className="board-heal-item">
          {MERGE_WORDS.phantomLike(label(p.postId), p.byName)}
        </li>
      )),
      ...mergedItems(report, label),
    ],
    tallyPeople: (report, _conflicts, tally) => {
      tally(report.duplicates, (d) => d.byName, () => 'duplicate');
      tally(report.resurrected, (r) => r.editedByName, () => 'resurrected post');
      tally(report.phantomLikes, (p) => p.byName, () => 'phantom like');
      tally(report.brokenThreads, (b) => b.byName, () => 'broken thread');
    },
  },
  human: {
    previewVerb: 'would leave to choose',
    nothing: 'Nothing to choose.',
    stats: (report, prefix, conflictsLeft) => [
      conflictsLeft !== null
        ? { value: conflictsLeft, label: `of ${report.totals.conflicts} conflicts remaining`, testId: `${prefix}-conflicts`, tone: 'warn' }
        : { value: report.totals.conflicts, label: 'conflicts to choose', testId: `${prefix}-conflicts`, tone: 'warn' },
      { value: report.totals.likeMerges, label: 'like counts merged', tone: 'ok' },
      { value: report.totals.brokenThreads, label: 'broken threads', tone: 'warn' },
    ],
    items: (report, posts, conflicts) => [
      ...(conflicts !== null
        ? conflicts.map((c) => (
            <li key={`c-${c.post.id}`} className="board-heal-item board-heal-item-conflict">
              {posts.label(c.post.id)}: waiting for <strong>{c.waitingFor}</strong>. <Versions siblings={c.post.siblings ?? []} />
            </li>
          ))
        : report.conflicts.map((c) => (
            <li key={`c-${c.postId}`} className="board-heal-item board-heal-item-conflict">
              {posts.label(c.postId)}: {chooserName(c.mayChoose, c.authorName)} would choose. <Versions siblings={c.siblings} />
            </li>
          ))),
      ...mergedItems(report, posts.label),
    ],
    tallyPeople: (report, conflicts, tally) => {
      tally(conflicts, (c) => c.waitingFor, () => 'conflict to choose');
      tally(report.brokenThreads, (b) => b.byName, () => 'broken thread');
    },
  },
};

/** One strategy's report: headline numbers, then the list. */
export function StrategyReport({ report, label, conflicts = null, testPrefix }: { report: HealReportView; label: PostLabeler; conflicts?: readonly OpenConflict[] | null; testPrefix: string }) {
  const presenter = PRESENTERS[report.strategy];
  const items = presenter.items(report, label, conflicts);
  return (
    <div className="board-heal-report-body">
      <div className="board-heal-stats">
        {presenter.stats(report, testPrefix, conflicts === null ? null : conflicts.length).map((stat) => (
          <Stat key={stat.label} {...stat} />
        ))}
      </div>
      {items.length === 0 ? <p className="board-heal-nothing">{presenter.nothing}</p> : <ul className="board-heal-list">{items}</ul>}
    </div>
  );
}

/** PRE1: the three strategies on the current divergent state, side by side. */
export function PreviewGrid({ preview, current, label }: { preview: Record<Strategy, HealReportView>; current: Strategy; label: PostLabeler }) {
  const held = preview.lww.held;
  return (
    <div className="board-heal-preview" data-testid="heal-preview">
      <p className="board-heal-preview-held">
        If the link healed now: <DcName dc="west" /> would send {held.west}, <DcName dc="east" /> {held.east} held {held.west + held.east === 1 ? 'message' : 'messages'}.
      </p>
      <div className="board-heal-preview-grid">
        {STRATEGIES.map((s) => (
          <section key={s} className={s === current ? 'board-heal-col board-heal-col-current' : 'board-heal-col'} data-testid={`preview-${s}`} aria-label={`${STRATEGY_LABEL[s]} ${PRESENTERS[s].previewVerb}`}>
            <h3 className="board-heal-col-title">
              {STRATEGY_LABEL[s]}
              {s === current && <span className="board-heal-current"> · chosen</span>}
            </h3>
            <StrategyReport report={preview[s]} label={label} testPrefix={`preview-${s}`} />
          </section>
        ))}
      </div>
    </div>
  );
}

/** Per person: what the heal did to them, for the room to see whose work it was. */
export function personSummary(report: HealReportView, conflicts: readonly OpenConflict[]): { name: string; lines: string[] }[] {
  const people = new Map<string, string[]>();
  const add = (name: string, line: string) => {
    const lines = people.get(name) ?? [];
    lines.push(line);
    people.set(name, lines);
  };
  const counted = (name: string, counts: Map<string, number>) => {
    for (const [what, n] of counts) add(name, `${n} ${what}${n === 1 ? '' : 's'}`);
  };
  const tally = <T,>(items: readonly T[], nameOf: (t: T) => string, what: (t: T) => string) => {
    const byName = new Map<string, Map<string, number>>();
    for (const item of items) {
      const name = nameOf(item);
      const counts = byName.get(name) ?? new Map<string, number>();
      counts.set(what(item), (counts.get(what(item)) ?? 0) + 1);
      byName.set(name, counts);
    }
    for (const [name, counts] of byName) counted(name, counts);
  };
  PRESENTERS[report.strategy].tallyPeople(report, conflicts, tally);
  return [...people.entries()].map(([name, lines]) => ({ name, lines })).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The board's panel after a heal: which strategy, when, how much the link held, the headline
 * numbers and the list, and a per-person summary. Under human choice the conflicts are counted
 * live from the posts, so the room watches them go as people choose (HUM3).
 */
export function HealReportPanel({ report, posts, label }: { report: HealReportView; posts: Readonly<Record<Dc, readonly PostView[]>>; label: PostLabeler }) {
  const conflicts = report.strategy === 'human' ? openConflicts(posts) : [];
  const people = personSummary(report, conflicts);
  const waiting = [...new Set(conflicts.map((c) => c.waitingFor))];
  return (
    <div className="board-heal-panel" data-testid="heal-report" data-strategy={report.strategy}>
      <div className="board-heal-panel-main">
        <p className="board-heal-panel-title">{healHeadline(report)}</p>
        {report.strategy === 'human' && (
          <p className="board-heal-waiting" data-testid="conflicts-remaining">
            {conflicts.length === 0 ? (
              'Every conflict has been settled.'
            ) : (
              <>
                <strong>{conflicts.length}</strong> {conflicts.length === 1 ? 'conflict remains' : 'conflicts remain'}. Not chosen yet: {waiting.join(', ')}.
              </>
            )}
          </p>
        )}
        <StrategyReport report={report} label={label} conflicts={report.strategy === 'human' ? conflicts : null} testPrefix="heal" />
      </div>
      <div className="board-heal-people" aria-label="Per person">
        <h3 className="board-heal-col-title">Per person</h3>
        {people.length === 0 ? (
          <p className="board-heal-nothing">Nobody lost anything.</p>
        ) : (
          <ul className="plain-list board-heal-people-list" data-testid="heal-people">
            {people.map((p) => (
              <li key={p.name}>
                <strong>{p.name}</strong>: {p.lines.join(', ')}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
