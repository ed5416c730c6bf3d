"use client";
/**
 * Credentials provided by the external system's owner (credentials.manage only). The secret is
 * write-only: typed once, encrypted by the server, shown afterwards as ••••last4 at most. Editing
 * without typing a new secret keeps the stored one.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/app/lib/trpc";
import { DataTable, EditDeleteButtons, FormActions } from "./data-table";
import { ErrorMessage } from "./error-message";
import { when } from "./format";
import styles from "./admin.module.css";

const TYPES = {
  api_key: { label: "API key", secret: "API key", config: [["header", "Header (default x-api-key)"]] },
  bearer: { label: "Bearer token", secret: "Token", config: [] },
  basic: { label: "Basic auth", secret: "Password", config: [["username", "Username"]] },
  webhook_signing: { label: "Webhook signing secret", secret: "whsec_ secret", config: [] },
  oauth2_client_credentials: {
    label: "OAuth2 client credentials",
    secret: "Client secret",
    config: [
      ["tokenUrl", "Token URL"],
      ["clientId", "Client ID"],
      ["scope", "Scope"],
      ["audience", "Audience"],
    ],
  },
} as const satisfies Record<string, { label: string; secret: string; config: readonly (readonly [string, string])[] }>;
type CredentialType = keyof typeof TYPES;

interface CredentialValue {
  name: string;
  type: CredentialType;
  config: Record<string, string>;
  owner: string;
  masked: string;
}

export function CredentialsManager() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const credentials = useQuery(trpc.connections.credentials.queryOptions());
  const [editing, setEditing] = useState<CredentialValue | "new" | null>(null);
  const remove = useMutation(trpc.connections.deleteCredential.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.connections.pathKey() }) }));
  return (
    <div>
      <div className={styles.header}>
        <p className="muted">Provided by the external system owner. Secrets are encrypted at rest and never shown again after saving.</p>
        {editing === null && (
          <button type="button" className="button primary" onClick={() => setEditing("new")}>
            New credential
          </button>
        )}
      </div>
      {editing !== null && <CredentialForm key={editing === "new" ? "new" : editing.name} initial={editing === "new" ? undefined : editing} onClose={() => setEditing(null)} />}
      <ErrorMessage error={credentials.error ?? remove.error} />
      <DataTable label="Credentials" columns={["Name", "Type", "Secret", "Settings", "Owner", "Updated", ""]} empty={credentials.data?.length === 0 && "No credentials yet."}>
        {credentials.data?.map((c) => (
          <tr key={c.id}>
            <td>
              <strong>{c.name}</strong>
            </td>
            <td>{TYPES[c.type].label}</td>
            <td>
              <code>{c.masked}</code>
            </td>
            <td>
              {Object.entries(c.config)
                .map(([k, v]) => `${k}=${v}`)
                .join(" · ") || "—"}
            </td>
            <td>{c.owner}</td>
            <td>{when(c.updatedAt)}</td>
            <td>
              <EditDeleteButtons onEdit={() => setEditing(c)} onDelete={() => remove.mutate({ name: c.name })} confirmDelete={`Delete credential ${c.name}?`} />
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

function CredentialForm({ initial, onClose }: { initial?: CredentialValue; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [type, setType] = useState<CredentialType>(initial?.type ?? "bearer");
  const save = useMutation(
    trpc.connections.saveCredential.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.connections.pathKey() });
        onClose();
      },
    }),
  );
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const config: Record<string, string> = {};
    for (const [key] of TYPES[type].config) {
      const value = String(form.get(`config.${key}`) ?? "").trim();
      if (value) config[key] = value;
    }
    const secret = String(form.get("secret") ?? "");
    save.mutate({
      name: String(form.get("name") ?? "").trim(),
      type,
      config,
      owner: String(form.get("owner") ?? "").trim() || "external",
      ...(secret ? { secret } : {}),
    });
    // The secret leaves the form at once: nothing keeps it in the page.
    (event.currentTarget.elements.namedItem("secret") as HTMLInputElement).value = "";
  }
  return (
    <section className={styles.panel}>
      <h2>{initial ? `Edit credential ${initial.name}` : "New credential"}</h2>
      <form className="form-stack" onSubmit={submit} aria-label="Credential" autoComplete="off">
        <div className={styles.grid}>
          <label>
            Name
            <input name="name" required defaultValue={initial?.name} readOnly={initial !== undefined} />
          </label>
          <label>
            Type
            <select name="type" value={type} onChange={(e) => setType(e.target.value as CredentialType)}>
              {Object.entries(TYPES).map(([value, t]) => (
                <option key={value} value={value}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            {TYPES[type].secret}
            <input
              name="secret"
              type="password"
              autoComplete="new-password"
              required={!initial || initial.type !== type}
              placeholder={initial && initial.type === type ? `${initial.masked} — leave empty to keep` : ""}
            />
          </label>
          {TYPES[type].config.map(([key, label]) => (
            <label key={key}>
              {label}
              <input name={`config.${key}`} defaultValue={initial?.config[key] ?? ""} />
            </label>
          ))}
          <label>
            Owner (who provided it)
            <input name="owner" defaultValue={initial?.owner ?? "external"} />
          </label>
        </div>
        <FormActions saveLabel="Save credential" pending={save.isPending} error={save.error} onCancel={onClose} />
      </form>
    </section>
  );
}
