"use client";
/** Console users (users.manage): create with a role, change role, disable. A generated password is shown once. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ROLE_LABELS, ROLES, type Role } from "@/server/auth/permissions";
import { useTRPC } from "@/app/lib/trpc";
import { useSession } from "@/app/lib/use-can";
import { DataTable } from "./data-table";
import { ErrorMessage } from "./error-message";
import { when } from "./format";
import { ShownOnce, type OnceSecret } from "./shown-once";
import { StatusBadge } from "./status-badge";
import styles from "./admin.module.css";

export function UsersManager() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useSession().data?.user;
  const users = useQuery(trpc.users.list.queryOptions());
  const [secrets, setSecrets] = useState<OnceSecret[]>([]);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: (r) => {
        if (r.generatedPassword) setSecrets([{ label: "Password", value: r.generatedPassword, hint: `for ${r.user.email}` }]);
        void refresh();
      },
    }),
  );
  const setRole = useMutation(trpc.users.setRole.mutationOptions({ onSuccess: () => void refresh() }));
  const setDisabled = useMutation(trpc.users.setDisabled.mutationOptions({ onSuccess: () => void refresh() }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    create.mutate({
      email: String(form.get("email") ?? "").trim(),
      name: String(form.get("name") ?? "").trim() || undefined,
      role: String(form.get("role")) as Role,
      ...(password ? { password } : {}),
    });
    event.currentTarget.reset();
  }

  return (
    <div>
      <section className={styles.panel}>
        <h2>Add a user</h2>
        <form className={styles.inlineForm} onSubmit={submit} aria-label="Add a user" autoComplete="off">
          <label>
            Email
            <input name="email" type="email" required />
          </label>
          <label>
            Name
            <input name="name" />
          </label>
          <label>
            Role
            <select name="role" defaultValue="viewer">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Password (empty: generate one)
            <input name="password" type="password" autoComplete="new-password" minLength={10} />
          </label>
          <button type="submit" className="button primary" disabled={create.isPending}>
            Add user
          </button>
        </form>
        <ShownOnce secrets={secrets} onDone={() => setSecrets([])} />
      </section>
      <ErrorMessage error={users.error ?? create.error ?? setRole.error ?? setDisabled.error} />
      <DataTable label="Users" columns={["Email", "Name", "Role", "Status", "Created", ""]}>
        {users.data?.map((u) => (
          <tr key={u.id}>
            <td>{u.email}</td>
            <td>{u.name}</td>
            <td>
              <select value={u.role} aria-label={`Role of ${u.email}`} disabled={setRole.isPending} onChange={(e) => setRole.mutate({ id: u.id, role: e.target.value as Role })}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </td>
            <td>
              <StatusBadge status={u.disabled ? "disabled" : "enabled"} />
            </td>
            <td>{when(u.createdAt)}</td>
            <td>
              {u.id !== me?.id && (
                <button type="button" className="button" disabled={setDisabled.isPending} onClick={() => setDisabled.mutate({ id: u.id, disabled: !u.disabled })}>
                  {u.disabled ? "Enable" : "Disable"}
                </button>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
