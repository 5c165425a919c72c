import { redirect } from 'next/navigation';
import { AuthForm } from '@/components/auth-form';
import { signInAction } from '@/lib/auth/actions';
import { currentViewer } from '@/lib/auth/page-guards';
import { safeNextPath } from '@/lib/contracts/auth';

export const metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const next = safeNextPath((await searchParams).next);
  if (await currentViewer()) redirect(next);
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-bold tracking-tight">Sign in</h1>
      <p className="mb-6 mt-1 text-slate-600">To hold seats, pay and see your tickets.</p>
      <div className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <AuthForm mode="sign-in" action={signInAction} next={next} />
      </div>
    </div>
  );
}
