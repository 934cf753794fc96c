'use client';

import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import './Confirm.css';

interface ConfirmState {
  armed: string | null;
  arm: (key: string | null) => void;
}

const ConfirmContext = createContext<ConfirmState>({ armed: null, arm: () => {} });

/**
 * One question at a time: arming a second disruptive action disarms the first, so the page never
 * shows two "Confirm" buttons and a stray click cannot confirm the wrong thing.
 */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [armed, setArmed] = useState<string | null>(null);
  const value = useMemo(() => ({ armed, arm: setArmed }), [armed]);
  return <ConfirmContext.Provider value={value}>{children}</ConfirmContext.Provider>;
}

/** Whether `key` is the action waiting for its second click, and the means to arm and disarm it. */
export function useConfirmKey(key: string): { armed: boolean; arm: () => void; disarm: () => void } {
  const { armed, arm } = useContext(ConfirmContext);
  return { armed: armed === key, arm: () => arm(key), disarm: () => arm(null) };
}

/** Which action, if any, is waiting for its second click (for a group of buttons sharing one prompt). */
export function useArmed(): ConfirmState {
  return useContext(ConfirmContext);
}

/**
 * The second step of a disruptive action: says what will happen, then "Confirm" or "Cancel".
 * Focus moves to "Confirm"; Escape cancels.
 */
export function ConfirmPrompt({
  question,
  busy,
  onConfirm,
  onCancel,
  testId,
}: {
  question: ReactNode;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
}) {
  return (
    <div
      className="admin-confirm"
      role="group"
      aria-label="Confirm the action"
      data-testid={testId}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <span className="admin-confirm-text">{question}</span>
      <span className="admin-confirm-buttons">
        <button type="button" className="btn btn-danger btn-small" disabled={busy} onClick={onConfirm} autoFocus>
          Confirm
        </button>
        <button type="button" className="btn btn-quiet btn-small" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </span>
    </div>
  );
}
