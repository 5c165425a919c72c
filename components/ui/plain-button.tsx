import type { ComponentProps } from 'react';

/**
 * Buttons, and plain anchors that look like them, without next/link: a client island that imports this module (the
 * event page's countdown) does not bring the client router's link code with it. `ButtonLink` (./button.tsx) adds
 * next/link for the pages that navigate on the client.
 */
export type Variant = 'primary' | 'secondary' | 'ghost' | 'danger';
const styles: Record<Variant, string> = {
  primary: 'bg-brand-600 text-white hover:bg-brand-700 disabled:bg-slate-300 disabled:text-slate-600',
  secondary: 'bg-white text-slate-900 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 disabled:text-slate-400',
  ghost: 'text-slate-700 hover:bg-slate-100',
  danger: 'bg-red-600 text-white hover:bg-red-700 disabled:bg-slate-300',
};
const base =
  'inline-flex min-h-11 items-center justify-center gap-2 rounded-lg px-4 py-2 text-sm font-semibold transition disabled:cursor-not-allowed';

export const buttonClass = (variant: Variant = 'primary', extra = '') => `${base} ${styles[variant]} ${extra}`;

/** A component's own props plus the look; `buttonClass` fills in the primary variant. */
type Styled<Props> = Props & { variant?: Variant };

export function Button({ variant, className, ...props }: Styled<ComponentProps<'button'>>) {
  return <button className={buttonClass(variant, className)} {...props} />;
}

/**
 * A plain `<a>` that looks like a button, for the buyer's first pages (home, search, event): they are server-rendered
 * text, and a next/link would add its client code and a hydrated component to each of them for a navigation that is a
 * full page load anyway (nothing there is prefetched).
 */
export function ButtonAnchor({ variant, className, ...props }: Styled<ComponentProps<'a'>>) {
  return <a className={buttonClass(variant, className)} {...props} />;
}
