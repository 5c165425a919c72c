import 'server-only';
import { headers } from 'next/headers';
import { pickLocale } from './format';

/** The visitor's locale from Accept-Language, for server-rendered dates and prices. */
export async function requestLocale(): Promise<string> {
  return pickLocale((await headers()).get('accept-language'));
}
