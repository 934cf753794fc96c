'use client';

import type { ReactNode } from 'react';
import type { AttemptView, AttemptsView, Strategy } from '../../../../server/protocol/wire';
import { formatClock, quote } from '../../../lib/format';
import './Attempts.css';

/** The strategies as the attempts name them: "attempt 1: LWW, attempt 2: merge everything, …". */
export const ATTEMPT_LABEL: Readonly<Record<Strategy, string>> = { lww: 'LWW', merge: 'merge everything', human: 'human choice' };

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What one attempt did, in the few numbers the class compares. */
function Outcome({ attempt }: { attempt: AttemptView }) {
  const c = attempt.counts;
  const lines: [string, number, string][] = [
    ['lost', c.lost, plural(c.lost, 'write lost', 'writes lost')],
    ['duplicates', c.duplicates, plural(c.duplicates, 'post duplicated', 'posts duplicated')],
    ['conflicts', c.conflicts, plural(c.conflicts, 'question asked', 'questions asked')],
    ['broken', c.brokenThreads, plural(c.brokenThreads, 'broken thread', 'broken threads')],
    ['resurrected', c.resurrected, plural(c.resurrected, 'deleted post back', 'deleted posts back')],
    ['phantom', c.phantomLikes, plural(c.phantomLikes, 'like on a deleted post', 'likes on deleted posts')],
    ['likes', c.likeMerges, plural(c.likeMerges, 'like count merged', 'like counts merged')],
  ];
  // Only what happened: the attempts are compared on what differs, and the board has little room.
  const some = lines.filter(([, n]) => n > 0);
  return (
    <ul className="attempt-counts">
      {some.length === 0 && <li className="attempt-count">Nothing lost, duplicated or asked</li>}
      {some.map(([key, , words]) => (
        <li key={key} className="attempt-count attempt-count-some" data-testid={`attempt-${attempt.index}-${key}`}>
          {words}
        </li>
      ))}
    </ul>
  );
}

/** A few of the rows behind the numbers: whose write was lost, which post was duplicated or asked about. */
function Examples({ attempt }: { attempt: AttemptView }) {
  const r = attempt.report;
  const rows: ReactNode[] = [
    ...r.lost.slice(0, 3).map((l) => <li key={`l-${l.lost.opId}`}>Lost: {l.lost.byName}&rsquo;s {l.lost.kind}{l.lost.text ? ` ${quote(l.lost.text, 40)}` : ''}</li>),
    ...r.duplicates.slice(0, 3).map((d) => <li key={`d-${d.duplicateId}`}>Both kept: {d.byName}&rsquo;s version became a post of its own</li>),
    ...r.conflicts.slice(0, 3).map((c) => <li key={`c-${c.postId}`}>For {c.authorName.replace(/^The /, 'the ')} to choose: {c.siblings.map((s) => quote(s.text, 24)).join(' or ')}</li>),
  ];
  return rows.length > 0 ? <ul className="attempt-examples">{rows}</ul> : null;
}

/**
 * The attempts on one history side by side. `onRewind` (the admin page) adds "Rewind to just
 * before this heal" under the heal that can be rewound.
 */
export function Attempts({ view, rewindAction, layout }: { view: AttemptsView; rewindAction?: ReactNode; layout: 'board' | 'admin' }) {
  if (view.attempts.length === 0) return <p className="muted">No heal yet: split the link, let both sides write, then heal.</p>;
  return (
    <div className={`attempts attempts-${layout}`} data-testid="attempts">
      {view.attempts.map((attempt, i) => {
        const previous = view.attempts[i - 1];
        return (
          <article key={attempt.index} className={attempt.rewound ? 'attempt attempt-rewound' : 'attempt'} data-testid={`attempt-${attempt.index}`} aria-label={`Attempt ${i + 1}: ${ATTEMPT_LABEL[attempt.strategy]}`}>
            <h3 className="attempt-title">
              Attempt {i + 1}: {ATTEMPT_LABEL[attempt.strategy]}
            </h3>
            <p className="attempt-when">
              Healed at {formatClock(attempt.at)}
              {attempt.rewound ? ' · rewound' : ''}
            </p>
            <Outcome attempt={attempt} />
            <Examples attempt={attempt} />
            {attempt.replayed + attempt.refused.length > 0 && (
              <p className="attempt-replayed" data-testid={`attempt-${attempt.index}-replayed`}>
                {plural(attempt.replayed, 'write', 'writes')} made after {previous ? `attempt ${i}` : 'the rewound heal'} replayed after this heal, in their original order
                {attempt.refused.length > 0 ? `; ${attempt.refused.length} refused now (${attempt.refused.map((r) => r.message).join(' ')})` : ''}.
              </p>
            )}
            {attempt.rewound && i === view.attempts.length - 1 && view.queued > 0 && (
              <p className="attempt-replayed" data-testid="queued">
                {plural(view.queued, 'write', 'writes')} written after this heal; replayed after the new one.
              </p>
            )}
            {view.rewindable?.index === attempt.index && rewindAction}
          </article>
        );
      })}
    </div>
  );
}
