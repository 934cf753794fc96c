/**
 * What a heal did, or would do (PRE1): LWW's lost writes, merge-everything's duplicates and
 * broken threads, human choice's conflicts. Shared by the board and the admin page; everything
 * here is the server's report laid out, nothing is recomputed except who still has to choose,
 * which is read off the posts the server sent.
 */
import type { ReactNode } from 'react';
import { DC_IDS, STRATEGIES, STRATEGY_LABEL, type Dc, type HealReportView, type PostView, type SiblingView, type Strategy, type WriteView } from '../../../server/protocol';
import { DcName } from '../DcBadge';
import { formatTime, quote } from '../../lib/format';
import './HealReports.css';

/** Names posts in sentences: their first words, or "the class post". */
export interface PostLabeler {
  label: (postId: string) => string;
  pinned: (postId: string) => boolean;
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
    pinned: (postId) => byId.get(postId)?.pinned ?? false,
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
      open.push({ post, waitingFor: post.pinned ? 'anyone' : post.authorName });
    }
  }
  return open;
}

const KIND_NOUN: Record<WriteView['kind'], string> = {
  create: 'post',
  edit: 'edit',
  delete: 'delete',
  like: 'like',
  unlike: 'unlike',
  resolve: 'choice',
};

function Stat({ value, label, testId, tone = 'plain' }: { value: number; label: string; testId?: string; tone?: 'plain' | 'bad' | 'warn' | 'ok' }) {
  return (
    <div className={`board-heal-stat board-heal-stat-${value === 0 ? 'zero' : tone}`}>
      <span className="board-heal-stat-value" data-testid={testId}>
        {value}
      </span>
      <span className="board-heal-stat-label">{label}</span>
    </div>
  );
}

/** "West +3, East +2 → +5" (MRG2); when the post had likes before, the total is said as a count. */
export function likeMergeText(m: { west: number; east: number; total: number }): string {
  return `West +${m.west}, East +${m.east} → ${m.total === m.west + m.east ? `+${m.total}` : `${m.total} likes`}`;
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

/** The lines of one report, as list items: what was lost, duplicated, broken or left to choose. */
function reportItems(report: HealReportView, posts: PostLabeler, conflicts: readonly OpenConflict[] | null): ReactNode[] {
  const label = posts.label;
  const items: ReactNode[] = [];
  switch (report.strategy) {
    case 'lww':
      report.lost.forEach((l, i) => {
        items.push(
          <li key={`lost-${i}`} className="board-heal-item board-heal-item-lost">
            <strong>{l.lost.byName}</strong>’s {KIND_NOUN[l.lost.kind]} in <DcName dc={l.lost.dc} /> ({formatTime(l.lost.wall)}) on {label(l.postId)} lost to{' '}
            {l.winner.byName}’s {KIND_NOUN[l.winner.kind]} in <DcName dc={l.winner.dc} /> ({formatTime(l.winner.wall)}). <span className="board-heal-reason">{l.reason}</span>
            {l.skewNote !== null && <span className="board-heal-skew"> {l.skewNote}</span>}
          </li>,
        );
      });
      break;
    case 'merge':
      report.duplicates.forEach((d, i) =>
        items.push(
          <li key={`dup-${i}`} className="board-heal-item">
            Duplicate: {label(d.postId)} now exists twice ({d.byName}’s other version became its own post).
          </li>,
        ),
      );
      report.resurrected.forEach((r, i) =>
        items.push(
          <li key={`res-${i}`} className="board-heal-item">
            Resurrected: {label(r.postId)} was deleted by {r.deletedByName} and edited by {r.editedByName}: it is back.
          </li>,
        ),
      );
      report.phantomLikes.forEach((p, i) =>
        items.push(
          <li key={`ph-${i}`} className="board-heal-item">
            Phantom like: {p.byName} liked {label(p.postId)}, deleted on the other side.
          </li>,
        ),
      );
      break;
    case 'human':
      if (conflicts !== null) {
        conflicts.forEach((c) =>
          items.push(
            <li key={`c-${c.post.id}`} className="board-heal-item board-heal-item-conflict">
              {label(c.post.id)}: waiting for <strong>{c.waitingFor}</strong>. <Versions siblings={c.post.siblings ?? []} />
            </li>,
          ),
        );
      } else {
        report.conflicts.forEach((c) =>
          items.push(
            <li key={`c-${c.postId}`} className="board-heal-item board-heal-item-conflict">
              {label(c.postId)}: {posts.pinned(c.postId) ? 'anyone' : c.authorName} would choose. <Versions siblings={c.siblings} />
            </li>,
          ),
        );
      }
      break;
    default: {
      const unknown: never = report.strategy;
      throw new Error(`unknown strategy ${String(unknown)}`);
    }
  }
  if (report.strategy !== 'lww') {
    report.brokenThreads.forEach((b, i) =>
      items.push(
        <li key={`bt-${i}`} className="board-heal-item">
          Broken thread: {b.byName}’s reply {label(b.postId)} hangs under a deleted post.
        </li>,
      ),
    );
    report.likeMerges.forEach((m) =>
      items.push(
        <li key={`lm-${m.postId}`} className="board-heal-item">
          Likes on {label(m.postId)}: {likeMergeText(m)}
        </li>,
      ),
    );
  }
  return items;
}

/** The headline numbers of one report. */
function Stats({ report, conflictsLeft, testPrefix }: { report: HealReportView; conflictsLeft: number | null; testPrefix: string }) {
  switch (report.strategy) {
    case 'lww': {
      const likes = report.lost.filter((l) => l.lost.kind === 'like' || l.lost.kind === 'unlike').length;
      return (
        <div className="board-heal-stats">
          <Stat value={report.lost.length - likes} label="edits and deletes lost" testId={`${testPrefix}-lost`} tone="bad" />
          <Stat value={likes} label="likes lost" testId={`${testPrefix}-lost-likes`} tone="bad" />
          <Stat value={report.lost.filter((l) => l.skewNote !== null).length} label="decided by a skewed clock" tone="warn" />
        </div>
      );
    }
    case 'merge':
      return (
        <div className="board-heal-stats">
          <Stat value={report.duplicates.length} label="duplicates" testId={`${testPrefix}-duplicates`} tone="warn" />
          <Stat value={report.brokenThreads.length} label="broken threads" tone="warn" />
          <Stat value={report.phantomLikes.length} label="phantom likes" tone="warn" />
          <Stat value={report.resurrected.length} label="resurrected" tone="warn" />
          <Stat value={report.likeMerges.length} label="like counts merged" tone="ok" />
        </div>
      );
    case 'human':
      return (
        <div className="board-heal-stats">
          {conflictsLeft !== null ? (
            <Stat value={conflictsLeft} label={`of ${report.conflicts.length} conflicts remaining`} testId={`${testPrefix}-conflicts`} tone="warn" />
          ) : (
            <Stat value={report.conflicts.length} label="conflicts to choose" testId={`${testPrefix}-conflicts`} tone="warn" />
          )}
          <Stat value={report.likeMerges.length} label="like counts merged" tone="ok" />
          <Stat value={report.brokenThreads.length} label="broken threads" tone="warn" />
        </div>
      );
    default: {
      const unknown: never = report.strategy;
      throw new Error(`unknown strategy ${String(unknown)}`);
    }
  }
}

const NOTHING: Record<Strategy, string> = {
  lww: 'Nothing would be lost.',
  merge: 'Nothing duplicated or broken.',
  human: 'Nothing to choose.',
};

/** One strategy's report: headline numbers, then the list. */
export function StrategyReport({ report, label, conflicts = null, testPrefix }: { report: HealReportView; label: PostLabeler; conflicts?: readonly OpenConflict[] | null; testPrefix: string }) {
  const items = reportItems(report, label, conflicts);
  return (
    <div className="board-heal-report-body">
      <Stats report={report} conflictsLeft={conflicts === null ? null : conflicts.length} testPrefix={testPrefix} />
      {items.length === 0 ? <p className="board-heal-nothing">{NOTHING[report.strategy]}</p> : <ul className="board-heal-list">{items}</ul>}
    </div>
  );
}

const PREVIEW_VERB: Record<Strategy, string> = {
  lww: 'would lose',
  merge: 'would duplicate',
  human: 'would leave to choose',
};

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
          <section key={s} className={s === current ? 'board-heal-col board-heal-col-current' : 'board-heal-col'} data-testid={`preview-${s}`} aria-label={`${STRATEGY_LABEL[s]} ${PREVIEW_VERB[s]}`}>
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
  switch (report.strategy) {
    case 'lww':
      tally(report.lost, (l) => l.lost.byName, (l) => `lost ${KIND_NOUN[l.lost.kind]}`);
      break;
    case 'merge':
      tally(report.duplicates, (d) => d.byName, () => 'duplicate');
      tally(report.resurrected, (r) => r.editedByName, () => 'resurrected post');
      tally(report.phantomLikes, (p) => p.byName, () => 'phantom like');
      break;
    case 'human':
      tally(conflicts, (c) => c.waitingFor, () => 'conflict to choose');
      break;
    default: {
      const unknown: never = report.strategy;
      throw new Error(`unknown strategy ${String(unknown)}`);
    }
  }
  if (report.strategy !== 'lww') tally(report.brokenThreads, (b) => b.byName, () => 'broken thread');
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
        <p className="board-heal-panel-title">
          Healed with <strong>{STRATEGY_LABEL[report.strategy]}</strong> at {formatTime(report.at)}: <DcName dc="west" /> sent {report.held.west}, <DcName dc="east" />{' '}
          {report.held.east} held {report.held.west + report.held.east === 1 ? 'message' : 'messages'}.
        </p>
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
          <ul className="board-heal-people-list" data-testid="heal-people">
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
