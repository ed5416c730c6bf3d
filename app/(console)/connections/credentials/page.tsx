import { requirePermission } from "@/app/lib/session";
import { ConnectionsTabs } from "@/app/components/admin/connections-tabs";
import { CredentialsManager } from "@/app/components/admin/credentials-manager";
import { Forbidden } from "@/app/components/admin/forbidden";

export default async function CredentialsPage() {
  const user = await requirePermission("credentials.manage");
  if (!user.allowed) return <Forbidden title="Credentials" permission="credentials.manage" role={user.role} />;
  return (
    <section>
      <h1>Credentials</h1>
      <ConnectionsTabs current="credentials" />
      <CredentialsManager />
    </section>
  );
}
