// Copies a text she must hand over (an enrolment link, a second-factor secret) to the clipboard on her click.
import { useState } from 'react';

export function CopyButton(props: { text: string; testId?: string; label?: string }) {
  const { text, testId, label = 'Copy' } = props;
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed'); // no clipboard permission: the text stays selectable beside the button
    }
  };
  return (
    <>
      <button type="button" className="button button--small" data-testid={testId} onClick={() => void copy()}>
        {label}
      </button>
      <span role="status" className="copy-status">
        {state === 'copied' ? 'Copied.' : state === 'failed' ? 'Could not copy: select the text and copy it.' : ''}
      </span>
    </>
  );
}
