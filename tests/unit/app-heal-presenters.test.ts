import { createElement, Fragment } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { STRATEGIES, type HealReportView, type PostView, type Strategy, type WriteView } from '../../server/protocol/index.ts';
import { PRESENTERS, openConflicts, personSummary, postLabeler } from '../../app/components/shared/HealReports.tsx';
import { healStory } from '../../app/lib/healStory.ts';
import type { Loss } from '../../app/lib/healWords.ts';

const T0 = new Date(2026, 10, 30, 10, 0, 0).getTime();

function write(over: Partial<WriteView>): WriteView {
  return { opId: 'op', kind: 'edit', byId: 'ana', byName: 'Ana', dc: 'west', wall: T0, at: T0, text: null, ...over };
}

/** A whole report (not a sample): each list's count is its length. */
function withTotals(r: Omit<HealReportView, 'totals'>): HealReportView {
  const totals = { lost: r.lost.length, duplicates: r.duplicates.length, brokenThreads: r.brokenThreads.length, phantomLikes: r.phantomLikes.length, resurrected: r.resurrected.length, likeMerges: r.likeMerges.length, conflicts: r.conflicts.length };
  return { ...r, totals };
}

function report(strategy: Strategy, over: Partial<HealReportView> = {}): HealReportView {
  return withTotals({ strategy, at: T0 + 9000, held: { west: 2, east: 3 }, lost: [], duplicates: [], brokenThreads: [], phantomLikes: [], resurrected: [], likeMerges: [], conflicts: [], ...over });
}

function post(id: string, over: Partial<PostView> = {}): PostView {
  return {
    id, parentId: null, pinned: false, authorId: 'ana', authorName: 'Ana', text: `text of ${id}`, deleted: false, createdAt: T0, createdIn: 'west',
    editedBy: null, editedAt: null, likeCount: 0, likedBy: [], vv: { west: 1, east: 0 }, lamport: 1, pending: false, siblings: null, mayChoose: null, duplicateOf: null, ...over,
  };
}

const posts = { west: [post('p1'), post('p2', { authorId: 'ben', authorName: 'Ben', text: 'Ben’s post' })], east: [post('p1')] };
const label = postLabeler(posts);

/** Ed's edit in East, on a clock 2 s behind, really 1 s later, lost to Ana's earlier edit in West: the core's facts. */
const skewedLoss: Loss = {
  postId: 'p1',
  lost: write({ opId: 'ed-edit', byId: 'ed', byName: 'Ed', dc: 'east', wall: T0 - 1000, at: T0 + 1000, text: 'Ed’s words' }),
  winner: write({ opId: 'ana-edit', wall: T0, at: T0, text: 'Ana’s words' }),
  decidedBy: 'later-timestamp',
  aheadMs: 1000,
  skew: { behindMs: 2000, laterMs: 1000 },
};
const likeLoss: Loss = {
  postId: 'p2',
  lost: write({ opId: 'eve-like', kind: 'like', byId: 'eve', byName: 'Eve', dc: 'east', wall: T0 - 500, at: T0 - 500 }),
  winner: write({ opId: 'w', wall: T0 }),
  decidedBy: 'later-timestamp',
  aheadMs: 500,
  skew: null,
};

const html = (nodes: unknown[]) => renderToStaticMarkup(createElement(Fragment, null, ...(nodes as never[])));

describe('heal presenters, one per strategy', () => {
  it('[PRE1] every strategy has a presenter with its own words', () => {
    expect(Object.keys(PRESENTERS).sort()).toEqual([...STRATEGIES].sort());
    const verbs = STRATEGIES.map((s) => PRESENTERS[s].previewVerb);
    expect(new Set(verbs).size).toBe(STRATEGIES.length);
    for (const s of STRATEGIES) expect(PRESENTERS[s].items(report(s), label, null)).toEqual([]);
  });

  it('[LWW3] LWW counts edits and likes apart, the skewed ones too, and says whose write lost to whose, when', () => {
    const r = report('lww', { lost: [skewedLoss, likeLoss] });
    const stats = PRESENTERS.lww.stats(r, 'heal', null);
    expect(stats.map((s) => [s.label, s.value])).toEqual([
      ['edits and deletes lost', 1],
      ['likes lost', 1],
      ['decided by a skewed clock', 1],
    ]);
    expect(stats[0]?.testId).toBe('heal-lost');
    const text = html(PRESENTERS.lww.items(r, label, null));
    expect(text).toContain('Ed&#x27;s edit (East clock 09:59:59.0) on “text of p1” lost to Ana&#x27;s edit (West clock 10:00:00.0).');
    expect(text).toContain('West&#x27;s version has the later timestamp (1.0 s later on the clocks): the last write wins.');
    expect(text).toContain('East&#x27;s clock was 2.0 s behind West&#x27;s: this write really came 1.0 s later, and still lost.');
    expect(personSummary(r, [])).toEqual([
      { name: 'Ed', lines: ['1 lost edit'] },
      { name: 'Eve', lines: ['1 lost like'] },
    ]);
  });

  it('[MRG1] merge-everything lists duplicates, resurrections, phantom likes, broken threads and added likes', () => {
    const r = report('merge', {
      duplicates: [{ postId: 'p1', duplicateId: 'p1-dup', byId: 'ed', byName: 'Ed' }],
      brokenThreads: [{ postId: 'p2', parentId: 'p1', byId: 'ben', byName: 'Ben' }],
      likeMerges: [{ postId: 'p1', west: 3, east: 2, total: 5 }],
    });
    expect(PRESENTERS.merge.stats(r, 'preview-merge', null).filter((s) => s.value > 0).map((s) => s.label)).toEqual(['duplicates', 'broken threads', 'like counts merged']);
    const text = html(PRESENTERS.merge.items(r, label, null));
    expect(text.indexOf('Duplicate: “text of p1” now exists twice (Ed&#x27;s other version became its own post).')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('Broken thread')).toBeGreaterThan(text.indexOf('Duplicate'));
    expect(text).toContain('West +3, East +2 → +5');
    expect(personSummary(r, [])).toEqual([
      { name: 'Ben', lines: ['1 broken thread'] },
      { name: 'Ed', lines: ['1 duplicate'] },
    ]);
  });

  it('[HUM2] human choice says who may choose: the author, or anyone for the class post; after a heal, who is still waited for', () => {
    const siblings = [
      { dc: 'west' as const, text: 'mine', deleted: false, byId: 'ana', byName: 'Ana', wall: T0, lamport: 2, vv: { west: 2, east: 0 } },
      { dc: 'east' as const, text: 'theirs', deleted: false, byId: 'ed', byName: 'Ed', wall: T0, lamport: 2, vv: { west: 1, east: 1 } },
    ];
    const r = report('human', { conflicts: [{ postId: 'p2', authorId: 'ben', authorName: 'Ben', mayChoose: 'author', siblings }] });
    expect(PRESENTERS.human.stats(r, 'preview-human', null)[0]).toMatchObject({ value: 1, label: 'conflicts to choose' });
    expect(html(PRESENTERS.human.items(r, label, null))).toContain('“Ben’s post”: Ben would choose.');

    const live = { west: [post('pin', { pinned: true, siblings, mayChoose: 'anyone' })], east: [post('pin', { pinned: true, siblings, mayChoose: 'anyone' })] };
    const open = openConflicts(live);
    expect(open).toHaveLength(1);
    expect(open[0]?.waitingFor).toBe('anyone');
    expect(PRESENTERS.human.stats(r, 'heal', open.length)[0]).toMatchObject({ value: 1, label: 'of 1 conflicts remaining' });
    expect(html(PRESENTERS.human.items(r, postLabeler(live), open))).toContain('the class post: waiting for <strong>anyone</strong>.');
  });
});

describe("a student's ledger", () => {
  it('[LWW3] my lost edit says what I wrote, what stayed, both clocks, and how far behind my clock was', () => {
    const story = healStory(report('lww', { lost: [{ ...skewedLoss, lost: { ...skewedLoss.lost, byId: 'ana', byName: 'Ana' } }] }), 'ana', posts.west);
    expect(story.lost).toHaveLength(1);
    const entry = story.lost[0];
    expect(entry?.what).toBe('Your edit of your post');
    expect(entry?.mine).toBe('“Ed’s words”');
    expect(entry?.mineStamp).toBe('East clock 09:59:59.0');
    expect(entry?.kept).toBe("“Ana’s words”: West's version, last written by your own edit (West clock 10:00:00.0)");
    expect(entry?.reason).toBe("West's version has the later timestamp (1.0 s later on the clocks): the last write wins.");
    expect(entry?.skewNote).toBe("Your clock (East) was 2.0 s behind West's: you really wrote 1.0 s later, and still lost.");
  });

  it('[LWW2] a like someone gave my post and LWW dropped shows as a lost like; other people’s losses do not show', () => {
    const r = report('lww', { lost: [skewedLoss, { ...likeLoss, postId: 'p1' }] });
    const mine = healStory(r, 'ana', posts.west);
    expect(mine.lost).toEqual([]);
    expect(mine.lostLikes.map((l) => l.text)).toEqual(["Eve's like (from East) on your post “text of p1”"]);
    expect(healStory(r, 'ben', posts.west).lostLikes).toEqual([]);
  });

  it('[MRG1] merge-everything tells me my edit became a duplicate, and links to it', () => {
    const r = report('merge', { duplicates: [{ postId: 'p2', duplicateId: 'p2-dup', byId: 'ana', byName: 'Ana' }], likeMerges: [{ postId: 'p1', west: 1, east: 2, total: 3 }] });
    const story = healStory(r, 'ana', posts.west);
    expect(story.notes.map((n) => [n.postId, n.text])).toEqual([
      ['p2-dup', 'Your edit of Ben\'s post “Ben’s post” became a separate post: a duplicate (merge everything keeps both versions).'],
      ['p1', 'Likes on your post “text of p1”: West +1, East +2 → +3.'],
    ]);
  });
});
