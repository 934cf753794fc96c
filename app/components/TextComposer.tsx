'use client';

import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { LIMITS } from '../../server/protocol/wire';
import './TextComposer.css';

interface TextComposerProps {
  /** The textarea's label, e.g. "Write a post". */
  label: string;
  /** The submit button's name, e.g. "Post". */
  submitLabel: string;
  initialText?: string;
  placeholder?: string;
  autoFocus?: boolean;
  /** Resolves true when the server accepted the text; the composer then clears itself. */
  onSubmit: (text: string) => Promise<boolean>;
  /** Shown as a local error, without a round trip, when the text is over the limit. */
  onInvalid: (message: string) => void;
  onCancel?: () => void;
  className?: string;
}

/** One text box for posts, replies and edits: label, 500-character counter, submit, cancel. */
export function TextComposer(props: TextComposerProps) {
  const { label, submitLabel, initialText = '', placeholder, autoFocus, onSubmit, onInvalid, onCancel, className } = props;
  const id = useId();
  const [text, setText] = useState(initialText);
  const [busy, setBusy] = useState(false);
  const length = text.trim().length;
  const over = length > LIMITS.postChars;

  const submit = async () => {
    if (busy || length === 0) return;
    if (over) {
      onInvalid(`A post has at most ${LIMITS.postChars} characters.`);
      return;
    }
    setBusy(true);
    const ok = await onSubmit(text);
    setBusy(false);
    if (ok) setText('');
  };

  const onFormSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void submit();
    }
    if (e.key === 'Escape' && onCancel) onCancel();
  };

  return (
    <form className={`composer ${className ?? ''}`} onSubmit={onFormSubmit}>
      <label htmlFor={id} className="composer-label">
        {label}
      </label>
      <textarea
        id={id}
        value={text}
        placeholder={placeholder}
        autoFocus={autoFocus}
        rows={3}
        aria-invalid={over}
        aria-describedby={`${id}-count`}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="composer-row">
        <span id={`${id}-count`} className={over ? 'char-count char-count-over' : 'char-count'}>
          {length} / {LIMITS.postChars}
        </span>
        <span className="composer-buttons">
          {onCancel && (
            <button type="button" className="btn btn-quiet" onClick={onCancel} disabled={busy}>
              Cancel
            </button>
          )}
          <button type="submit" className="btn btn-primary" disabled={busy || length === 0} aria-busy={busy}>
            {submitLabel}
          </button>
        </span>
      </div>
    </form>
  );
}
