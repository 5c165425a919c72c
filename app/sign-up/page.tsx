import { redirect } from 'next/navigation';
import { AuthForm } from '@/components/auth-form';
import { getDb } from '@/db/client';
import { signUpAction } from '@/lib/auth/actions';
import { currentViewer } from '@/lib/auth/page-guards';
import { safeNextPath } from '@/lib/contracts/auth';
import { isHighDemandSeason } from '@/lib/security/high-demand';
import { issueChallenge } from '@/lib/security/proof-of-work';

export const metadata = { title: 'Create an account' };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const next = safeNextPath((await searchParams).next);
  if (await currentViewer()) redirect(next);
  // While a high-demand sale is coming, the form's script solves a proof of work while the person types
  // (docs/decisions/023-proof-of-work.md); without JavaScript the form still works, under a smaller budget.
  const challenge = (await isHighDemandSeason(await getDb())) ? issueChallenge('sign-up') : undefined;
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-bold tracking-tight">Create your account</h1>
      <p className="mb-6 mt-1 text-slate-600">One account for all your tickets. It takes a minute.</p>
      <div className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <AuthForm mode="sign-up" action={signUpAction} next={next} challenge={challenge} />
      </div>
    </div>
  );
}
