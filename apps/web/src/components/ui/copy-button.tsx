'use client';

import { useState } from 'react';
import { Button } from './button';

/** Copies `text` to the clipboard and says so for a moment. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  return (
    <Button
      size="sm"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied('done');
        } catch {
          setCopied('failed');
        }
        setTimeout(() => setCopied('idle'), 2000);
      }}
    >
      <span aria-live="polite">{copied === 'done' ? 'Copied' : copied === 'failed' ? 'Select and copy' : label}</span>
    </Button>
  );
}
