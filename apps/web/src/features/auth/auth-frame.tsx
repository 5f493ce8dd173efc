import type { ReactNode } from 'react';

export function BrandMark() {
  return (
    <span className="brand-mark" aria-hidden>
      V
    </span>
  );
}

/** The centred frame of the sign-in, sign-up, reset and invitation pages. */
export function AuthFrame({ children }: { children: ReactNode }) {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <div className="auth-brand">
          <BrandMark /> Vigil
        </div>
        <div className="ui-card">{children}</div>
      </div>
    </main>
  );
}
