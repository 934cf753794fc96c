'use client';

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
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
  /** The control that opened the prompt: focus goes back to it on Confirm, Cancel or Escape. */
  const opener = useRef<{ element: HTMLElement | null; key: string } | null>(null);
  const arm = useCallback((key: string | null) => {
    if (key !== null) {
      const active = document.activeElement;
      opener.current = { element: active instanceof HTMLElement && !active.closest('.admin-confirm') ? active : null, key };
    }
    setArmed(key);
  }, []);
  useEffect(() => {
    if (armed !== null || !opener.current) return;
    const { element, key } = opener.current;
    opener.current = null;
    if (document.activeElement !== document.body && document.activeElement !== null) return;
    // The prompt is gone: without this, focus would fall back to <body>. An opener the prompt
    // replaced is found again by its data-confirm-for.
    const back = element?.isConnected ? element : document.querySelector<HTMLElement>(`[data-confirm-for="${CSS.escape(key)}"]`);
    back?.focus();
  }, [armed]);
  const value = useMemo(() => ({ armed, arm }), [armed, arm]);
  return <ConfirmContext.Provider value={value}>{children}</ConfirmContext.Provider>;
}

/**
 * Whether `key` is the action waiting for its second click, and the means to arm and disarm it.
 * Give the opening button `data-confirm-for={key}` when the prompt replaces it, so focus can return.
 */
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
