'use client';

import { useEffect, useId, useRef, type ReactNode } from 'react';

interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  /** `wide` for long forms (the rule editor). */
  size?: 'normal' | 'wide';
  children: ReactNode;
}

/**
 * A modal on the native <dialog>: the browser traps focus, Escape closes it and focus returns
 * to the element that opened it.
 */
export function Dialog({ open, onClose, title, description, size = 'normal', children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={size === 'wide' ? 'ui-dialog ui-dialog--wide' : 'ui-dialog'}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="ui-dialog__header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="ui-dialog__close" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      {description ? <div className="ui-dialog__description">{description}</div> : null}
      {open ? children : null}
    </dialog>
  );
}
