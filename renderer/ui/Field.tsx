import type { ReactNode } from 'react';

/** A label wrapping its control, so every input is labelled without id bookkeeping. */
export function Field({ label, hint, children, inline = false }: { label: string; hint?: string; children: ReactNode; inline?: boolean }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is passed in as children and nested inside the label
    <label className={inline ? 'field field-inline' : 'field'}>
      <span className="field-label">{label}</span>
      {children}
      {hint ? <span className="field-hint">{hint}</span> : null}
    </label>
  );
}
