import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The house rules fail on a deliberate violation (issue 17): each case lints a few lines as if they were a file at
 * the given path, with the repository's own configuration, and expects the rule that guards that boundary.
 */
describe('lint rules', () => {
  const eslint = new ESLint();
  const rulesFor = async (filePath: string, text: string) => {
    const [result] = await eslint.lintText(text, { filePath });
    return result!.messages.map((m) => m.ruleId);
  };

  it('keeps each layer from importing the layers above it', async () => {
    expect(
      await rulesFor(
        'lib/checkout/probe.ts',
        "import { SeatMap } from '@/components/seat-map';\nexport const x = SeatMap;\n",
      ),
    ).toContain('no-restricted-imports');
    expect(
      await rulesFor('components/probe.tsx', "import { GET } from '@/app/api/health/route';\nexport const x = GET;\n"),
    ).toContain('no-restricted-imports');
    expect(
      await rulesFor('db/schema/probe.ts', "import { route } from '@/lib/http/route';\nexport const x = route;\n"),
    ).toContain('no-restricted-imports');
    expect(
      await rulesFor(
        'lib/checkout/probe.ts',
        "import { signUp } from '@/tests/support/http';\nexport const x = signUp;\n",
      ),
    ).toContain('no-restricted-imports');
  }, 60_000);

  it('keeps contracts free of server code, and the browser on browser-safe modules', async () => {
    expect(
      await rulesFor('lib/contracts/probe.ts', "import { getDb } from '@/db/client';\nexport const x = getDb;\n"),
    ).toContain('no-restricted-imports');
    expect(
      await rulesFor(
        'components/probe.tsx',
        "'use client';\nimport { getDb } from '@/db/client';\nexport const x = getDb;\n",
      ),
    ).toContain('admitone/browser-imports');
    expect(
      await rulesFor(
        'components/probe.tsx',
        "'use client';\nimport { formatMoney } from '@/lib/format';\nexport const x = formatMoney;\n",
      ),
    ).toEqual([]);
  }, 60_000);

  it('asks a module that reaches the database to say it is server-only, and refuses an update without a where', async () => {
    expect(
      await rulesFor('lib/checkout/probe.ts', "import { getDb } from '@/db/client';\nexport const x = getDb;\n"),
    ).toContain('admitone/server-only-marker');
    expect(
      await rulesFor(
        'lib/checkout/probe.ts',
        "import 'server-only';\nimport { getDb } from '@/db/client';\nexport const x = getDb;\n",
      ),
    ).toEqual([]);
    const update =
      "import 'server-only';\nimport { getDb } from '@/db/client';\nimport { holds } from '@/db/schema/inventory';\nexport const x = () => getDb().update(holds).set({ status: 'expired' });\n";
    expect(
      await rulesFor(
        'lib/checkout/probe.ts',
        update
          .replace('getDb()', 'db')
          .replace('export const x = () =>', 'const db = getDb();\nexport const x = () =>'),
      ),
    ).toContain('drizzle/enforce-update-with-where');
  }, 60_000);
});
