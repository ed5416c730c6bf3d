"use client";
/**
 * One API client: its keys and tokens (prefix, status, expiry, last use — never the secret), issue
 * another, rotate with an overlap, revoke one or all, and its settings: scopes, IP allowlist,
 * rate limit, signing secret. Every new secret is shown once.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/app/lib/trpc";
import { useCan } from "@/app/lib/use-can";
import { KIND_LABELS, lines } from "./client-create-form";
import { DataTable } from "./data-table";
import { ErrorMessage } from "./error-message";
import { when } from "./format";
import { ScopePicker } from "./scope-picker";
import { ShownOnce, type OnceSecret } from "./shown-once";
import { StatusBadge } from "./status-badge";
import styles from "./admin.module.css";

export function ClientDetail({ name }: { name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canManage = useCan("clients.manage");
  const client = useQuery(trpc.clients.get.queryOptions({ name }));
  const [secrets, setSecrets] = useState<OnceSecret[]>([]);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.clients.pathKey() });
  const onIssued = (issued: { kind: "api_key" | "bearer"; token: string }[]) => {
    setSecrets(issued.map((c) => ({ label: c.kind === "api_key" ? "API key" : "Bearer token", value: c.token, hint: KIND_LABELS[c.kind] })));
    void refresh();
  };
  const issue = useMutation(trpc.clients.issue.mutationOptions({ onSuccess: (c) => onIssued([c]) }));
  const rotate = useMutation(trpc.clients.rotate.mutationOptions({ onSuccess: (r) => onIssued(r.credentials) }));
  const revokeOne = useMutation(trpc.clients.revokeCredential.mutationOptions({ onSuccess: () => void refresh() }));
  const revokeAll = useMutation(trpc.clients.revoke.mutationOptions({ onSuccess: () => void refresh() }));
  const signing = useMutation(
    trpc.clients.setSigningSecret.mutationOptions({
      onSuccess: (r) => {
        if (r.signingSecret) setSecrets([{ label: "Signing secret", value: r.signingSecret, hint: "Standard Webhooks (webhook-signature)" }]);
        void refresh();
      },
    }),
  );

  if (client.error) return <ErrorMessage error={client.error} />;
  if (!client.data) return <p className="muted">Loading…</p>;
  const c = client.data;
  const busy = issue.isPending || rotate.isPending || revokeOne.isPending || revokeAll.isPending || signing.isPending;

  function submitIssue(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const days = String(form.get("days") ?? "").trim();
    issue.mutate({ name, kind: String(form.get("kind")) as "api_key" | "bearer", ...(days ? { expiresInDays: Number(days) } : {}) });
  }
  function submitRotate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    rotate.mutate({ name, overlapHours: Number(form.get("overlap") ?? 24) });
  }

  return (
    <div>
      <div className={styles.header}>
        <div>
          <h1>API client {c.name}</h1>
          <p className="muted">
            Credentials issued by the ERP · created {when(c.createdAt)} · last used {when(c.lastUsedAt, "never")}
          </p>
        </div>
        <StatusBadge status={c.active ? "active" : "disabled"} />
      </div>
      <ShownOnce secrets={secrets} onDone={() => setSecrets([])} />
      <ErrorMessage error={issue.error ?? rotate.error ?? revokeOne.error ?? revokeAll.error ?? signing.error} />

      <section className={styles.panel}>
        <h2>Keys and tokens</h2>
        <DataTable label="Keys and tokens" columns={["Key", "Kind", "Status", "Created", "Expires", "Last used", canManage && ""]}>
          {c.credentials.map((k) => (
            <tr key={k.prefix}>
              <td>
                <code>{k.masked}</code>
              </td>
              <td>{k.kind === "api_key" ? "API key" : "Bearer token"}</td>
              <td>
                <StatusBadge status={k.status} />
              </td>
              <td>{when(k.createdAt)}</td>
              <td>{when(k.expiresAt, "never")}</td>
              <td>{when(k.lastUsedAt, "never")}</td>
              {canManage && (
                <td>
                  {k.status === "active" && (
                    <button type="button" className="button" disabled={busy} onClick={() => revokeOne.mutate({ prefix: k.prefix })} aria-label={`Revoke ${k.prefix}`}>
                      Revoke
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </DataTable>
        {canManage && c.active && (
          <div className={styles.grid} style={{ marginTop: "1rem" }}>
            <form className={styles.inlineForm} onSubmit={submitIssue} aria-label="Issue a credential">
              <label>
                Issue
                <select name="kind" defaultValue="api_key">
                  <option value="api_key">API key</option>
                  <option value="bearer">Bearer token</option>
                </select>
              </label>
              <label>
                Expires after (days)
                <input name="days" type="number" min={1} max={3650} placeholder="never" style={{ width: "7rem" }} />
              </label>
              <button type="submit" className="button primary" disabled={busy}>
                Issue
              </button>
            </form>
            <form className={styles.inlineForm} onSubmit={submitRotate} aria-label="Rotate">
              <label>
                Rotate; old ones keep working for (hours)
                <input name="overlap" type="number" min={0} max={2160} defaultValue={24} style={{ width: "7rem" }} />
              </label>
              <button type="submit" className="button" disabled={busy}>
                Rotate
              </button>
            </form>
          </div>
        )}
      </section>

      <ClientSettings key={`${c.name}-${c.flowScopes.join()}-${c.ipAllowlist.join()}-${c.rateLimitPerMinute}-${c.requireSignature}-${c.description}`} client={c} canManage={canManage} onSaved={() => void refresh()} />

      <section className={styles.panel}>
        <h2>Signing secret</h2>
        <p className={styles.note}>Standard Webhooks: the client signs each call (webhook-id, webhook-timestamp, webhook-signature) with this secret.</p>
        <p>{c.signingSecret ? <code>{c.signingSecret}</code> : "None."}</p>
        {canManage && (
          <div className={styles.row}>
            <button type="button" className="button" disabled={busy} onClick={() => signing.mutate({ name, action: "generate" })}>
              {c.signingSecret ? "Replace signing secret" : "Issue signing secret"}
            </button>
            {c.signingSecret && (
              <button type="button" className="button" disabled={busy} onClick={() => signing.mutate({ name, action: "remove" })}>
                Remove
              </button>
            )}
          </div>
        )}
      </section>

      {canManage && c.active && (
        <section className={styles.panel}>
          <h2>Revoke client</h2>
          <p className={styles.note}>Disables the client and revokes every key and token it holds; its next call fails with 401.</p>
          <button
            type="button"
            className="button danger"
            disabled={busy}
            onClick={() => {
              if (window.confirm(`Revoke API client ${c.name} and all its credentials?`)) revokeAll.mutate({ name });
            }}
          >
            Revoke {c.name}
          </button>
        </section>
      )}
    </div>
  );
}

interface ClientSettingsValue {
  name: string;
  description: string;
  flowScopes: string[];
  ipAllowlist: string[];
  rateLimitPerMinute: number | null;
  requireSignature: boolean;
  signingSecret: string | null;
}

function ClientSettings({ client, canManage, onSaved }: { client: ClientSettingsValue; canManage: boolean; onSaved: () => void }) {
  const trpc = useTRPC();
  const [scopes, setScopes] = useState(client.flowScopes);
  const update = useMutation(trpc.clients.update.mutationOptions({ onSuccess: onSaved }));
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const rate = String(form.get("rate") ?? "").trim();
    update.mutate({
      name: client.name,
      description: String(form.get("description") ?? ""),
      flowScopes: scopes,
      ipAllowlist: lines(String(form.get("ips") ?? "")),
      rateLimitPerMinute: rate ? Number(rate) : null,
      requireSignature: form.get("requireSignature") === "on",
    });
  }
  return (
    <section className={styles.panel}>
      <h2>Settings</h2>
      <form className="form-stack" onSubmit={submit} aria-label="Client settings">
        <fieldset disabled={!canManage} style={{ border: "none", padding: 0, margin: 0 }} className="form-stack">
          <div className={styles.grid}>
            <label>
              Description
              <input name="description" defaultValue={client.description} />
            </label>
            <label>
              Rate limit (calls per minute, empty: none)
              <input name="rate" type="number" min={1} defaultValue={client.rateLimitPerMinute ?? ""} />
            </label>
            <label>
              IP allowlist (one per line, empty: any address)
              <textarea name="ips" rows={3} defaultValue={client.ipAllowlist.join("\n")} />
            </label>
          </div>
          <ScopePicker value={scopes} onChange={setScopes} />
          <label className={styles.check}>
            <input type="checkbox" name="requireSignature" defaultChecked={client.requireSignature} disabled={!client.signingSecret} /> Require a signature on every call
          </label>
          <ErrorMessage error={update.error} />
          {canManage && (
            <div className={styles.row}>
              <button type="submit" className="button primary" disabled={update.isPending}>
                Save settings
              </button>
              {update.isSuccess && <span className="muted">Saved.</span>}
            </div>
          )}
        </fieldset>
      </form>
    </section>
  );
}
