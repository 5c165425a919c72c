import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { OperationEntry } from '../operation-entry';
import { Prose } from '../prose';
import { ReferencePage } from '../reference-page';
import { apiReference } from '../reference';

type Props = { params: Promise<{ tag: string }> };

const findTag = async (params: Props['params']) => {
  const { tag } = await params;
  return apiReference().tags.find((t) => t.slug === tag);
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const tag = await findTag(params);
  return { title: tag ? `${tag.name} · API reference` : 'API reference' };
}

/** One tag of the API reference: each operation with who may call it, its parameters, body, answers and problems. */
export default async function ApiTagPage({ params }: Props) {
  const tag = await findTag(params);
  if (!tag) notFound();
  return (
    <ReferencePage title={tag.name}>
      <p className="mt-2 text-slate-700">
        <Prose text={tag.description} />
      </p>
      <div className="mt-6 space-y-4">
        {tag.operations.map((o) => (
          <OperationEntry key={o.op.operationId} {...o} />
        ))}
      </div>
    </ReferencePage>
  );
}
