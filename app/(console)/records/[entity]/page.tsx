import { notFound } from "next/navigation";
import { findEntity } from "@/flows/erp/entities";
import { EntityChips } from "@/app/components/records/entity-chips";
import { RecordsTable } from "@/app/components/records/records-table";

export default async function EntityRecordsPage({ params }: { params: Promise<{ entity: string }> }) {
  const entity = findEntity(decodeURIComponent((await params).entity));
  if (!entity) notFound();
  return (
    <section>
      <h1>Records</h1>
      <p className="muted">The ERP&apos;s records and masters. Open one to see where it came from and where it went.</p>
      <EntityChips current={entity.name} />
      <RecordsTable key={entity.name} entity={entity} />
    </section>
  );
}
