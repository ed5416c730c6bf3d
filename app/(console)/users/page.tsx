import { requirePermission } from "@/app/lib/session";
import { Forbidden } from "@/app/components/admin/forbidden";
import { UsersManager } from "@/app/components/admin/users-manager";

export default async function UsersPage() {
  const user = await requirePermission("users.manage");
  if (!user.allowed) return <Forbidden title="Users" permission="users.manage" role={user.role} />;
  return (
    <section>
      <h1>Users</h1>
      <p className="muted">Who may sign in, and with which role. Disabling a user signs them out everywhere.</p>
      <UsersManager />
    </section>
  );
}
