import type { ReactNode } from 'react';

/** What is missing, why it matters, and the next step to take. */
export function EmptyState({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <div className="ui-empty" role="status">
      <div className="ui-empty__icon" aria-hidden>
        ○
      </div>
      <h3>{title}</h3>
      <div className="ui-empty__body">{children}</div>
      {action ? <div className="ui-empty__action">{action}</div> : null}
    </div>
  );
}
