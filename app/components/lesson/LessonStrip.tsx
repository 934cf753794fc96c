'use client';

import { useState } from 'react';
import { isCutMode, type Ack, type ClassSnapshot, type LessonView } from '../../../server/protocol/wire';
import { ConfirmPrompt, useConfirmKey } from '../admin/Confirm';
import { LinkStateWords } from '../shared/LiveState';
import { request } from '../../lib/socket';
import { actionLabel, answeredLine } from '../../lib/lessonWords';
import { linkLook } from '../../lib/dc';
import './LessonStrip.css';

const RESETS = [
  { what: 'posts', label: 'Posts', question: 'Erase every post? People, settings and the lesson stay.' },
  { what: 'settings', label: 'Settings', question: 'Reset settings: no skew, both sides accept, last write wins, the default link (a split heals)?' },
  { what: 'both', label: 'Both', question: 'Erase every post and reset every setting?' },
] as const;

/**
 * The lesson on one strip at the top of the admin page, always in view: the code and the board,
 * the link's state (apart from the buttons that change it), the steps in order, and the current
 * step's question, reveal and action. Each step sets the controls it needs on the server; the
 * panels below stay for driving by hand.
 */
export function LessonStrip({
  code,
  snapshot,
  clockOffset,
  lesson,
  accept,
  onError,
}: {
  code: string;
  snapshot: ClassSnapshot;
  clockOffset: number;
  lesson: LessonView | null;
  accept: (result: Ack<LessonView>) => string | null;
  onError: (message: string) => void;
}) {
  const [busy, setBusy] = useState(false);
  const send = async (act: () => Promise<Ack<LessonView>>) => {
    setBusy(true);
    const error = accept(await act());
    setBusy(false);
    if (error) onError(error);
  };
  const step = lesson && lesson.step >= 0 ? lesson.steps[lesson.step] : undefined;
  const next = lesson && lesson.step + 1 < lesson.steps.length ? lesson.step + 1 : null;
  const cut = isCutMode(snapshot.link.mode);
  const q = lesson?.question ?? null;
  const online = snapshot.participants.filter((p) => p.online).length;

  return (
    <section className={`lesson-strip lesson-strip-${linkLook(snapshot.link.mode)}`} aria-label="Lesson" data-testid="lesson-strip">
      <div className="lesson-strip-row">
        <span className="lesson-strip-code">
          Code <strong className="mono">{code}</strong>
        </span>
        <a className="btn btn-small" href={`/board/${code}`} target="_blank" rel="noopener" data-testid="open-board">
          Open the board
        </a>
        <div className="lesson-strip-link" data-testid="strip-link">
          <LinkStateWords link={snapshot.link} clockOffset={clockOffset} size="compact" withTestIds={false} />
        </div>
        <ResetMenu busy={busy} onReset={(what) => send(() => request('lesson:reset', { what }))} />
      </div>
      {lesson && (
        <ol className="plain-list lesson-steps" aria-label="Steps">
          <li>
            <button type="button" className="lesson-step" aria-current={lesson.step === -1 ? 'step' : undefined} disabled={busy} onClick={() => void send(() => request('lesson:step', { index: -1 }))}>
              Lobby
            </button>
          </li>
          {lesson.steps.map((s, i) => (
            <li key={s.id}>
              <button type="button" className="lesson-step" aria-current={lesson.step === i ? 'step' : undefined} disabled={busy} onClick={() => void send(() => request('lesson:step', { index: i }))}>
                <span className="lesson-step-n">{i + 1}</span> {s.title}
              </button>
            </li>
          ))}
        </ol>
      )}
      {lesson && (
        <div className="lesson-strip-row lesson-now" data-testid="lesson-now">
          {step ? (
            <p className="lesson-say">
              <strong>{step.title}.</strong> {step.say}
            </p>
          ) : (
            <p className="lesson-say">
              <strong>Lobby.</strong> The board shows the code and the QR; {online} {online === 1 ? 'person' : 'people'} here.
            </p>
          )}
          <div className="lesson-actions">
            {step?.question && (!q || q.phase === 'judged') && (
              <button type="button" className="btn btn-small" disabled={busy} onClick={() => void send(() => request('lesson:ask', {}))}>
                Ask: {step.question}
              </button>
            )}
            {q && q.phase === 'open' && <span className="lesson-answered" data-testid="answered">{answeredLine(q.answered, snapshot.participants.length)}</span>}
            {((q && q.phase === 'open') || (cut && !lesson.previewShown && (!q || q.phase !== 'judged'))) && (
              <button type="button" className="btn btn-small" disabled={busy} onClick={() => void send(() => request('lesson:reveal', {}))}>
                {q && q.phase === 'open' ? 'Close answers and reveal' : 'Reveal the heal preview'}
              </button>
            )}
            {step?.action && (
              <button
                type="button"
                className="btn btn-small btn-primary"
                disabled={busy || (step.action === 'heal' ? !cut : cut)}
                onClick={() => void send(() => request('lesson:act', {}))}
              >
                {actionLabel(step.action, snapshot.settings.strategy)}
              </button>
            )}
            {next !== null ? (
              <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={() => void send(() => request('lesson:step', { index: next }))}>
                {lesson.step === -1 ? 'Start the lesson' : `Next: ${lesson.steps[next]?.title ?? ''}`}
              </button>
            ) : null}
          </div>
        </div>
      )}
    </section>
  );
}

/** "Reset": a clean slate of posts, settings, or both, each asked once more. */
function ResetMenu({ busy, onReset }: { busy: boolean; onReset: (what: 'posts' | 'settings' | 'both') => Promise<void> }) {
  const posts = useConfirmKey('lesson-reset:posts');
  const settings = useConfirmKey('lesson-reset:settings');
  const both = useConfirmKey('lesson-reset:both');
  const keys = { posts, settings, both };
  const armed = RESETS.find((r) => keys[r.what].armed);
  return (
    <div className="lesson-reset" role="group" aria-label="Reset">
      <span className="lesson-reset-label">Reset</span>
      {RESETS.map((r) => (
        <button key={r.what} type="button" className="btn btn-small btn-danger-quiet" disabled={busy} onClick={keys[r.what].arm} data-confirm-for={`lesson-reset:${r.what}`}>
          {r.label}
        </button>
      ))}
      {armed && (
        <ConfirmPrompt
          question={armed.question}
          busy={busy}
          onConfirm={() => void onReset(armed.what).then(keys[armed.what].disarm)}
          onCancel={keys[armed.what].disarm}
          testId="reset-confirm"
        />
      )}
    </div>
  );
}
