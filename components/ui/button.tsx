import Link from 'next/link';
import type { ComponentProps } from 'react';
import { buttonClass, type Variant } from './plain-button';

export { Button, ButtonAnchor, buttonClass } from './plain-button';

export function ButtonLink({
  variant = 'primary',
  className = '',
  ...props
}: ComponentProps<typeof Link> & { variant?: Variant }) {
  return <Link className={buttonClass(variant, className)} {...props} />;
}
