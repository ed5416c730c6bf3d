import { requirePermission } from "@/app/lib/session";
import { AuditLog } from "@/app/components/admin/audit-log";
import { Forbidden } from "@/app/components/admin/forbidden";

export default async function AuditPage() {
  const user = await requirePermission("audit.read");
  if (!user.allowed) return <Forbidden title="Audit log" permission="audit.read" role={user.role} />;
  return (
    <section>
      <h1>Audit log</h1>
      <p className="muted">Who did what, when: sign-ins, publishes, rollbacks, keys issued or revoked, credential changes, retries, discards and edits.</p>
      <AuditLog />
    </section>
  );
}
