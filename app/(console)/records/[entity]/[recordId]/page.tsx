import Link from "next/link";
import { notFound } from "next/navigation";
import { findEntity } from "@/flows/erp/entities";
import { RecordView } from "@/app/components/records/record-view";

export default async function RecordPage({ params }: { params: Promise<{ entity: string; recordId: string }> }) {
  const { entity: entityName, recordId } = await params;
  const entity = findEntity(decodeURIComponent(entityName));
  if (!entity) notFound();
  return (
    <section>
      <p>
        <Link href={`/records/${entity.name}`}>← {entity.label} records</Link>
      </p>
      <RecordView entity={entity} recordId={decodeURIComponent(recordId)} />
    </section>
  );
}
