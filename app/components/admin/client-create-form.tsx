"use client";
/** Creates an API client and shows its first key or token (and signing secret) once, with copy buttons. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/app/lib/trpc";
import { ErrorMessage } from "./error-message";
import { ScopePicker } from "./scope-picker";
import { ShownOnce, type OnceSecret } from "./shown-once";
import styles from "./admin.module.css";

export const KIND_LABELS = { api_key: "API key (x-api-key)", bearer: "Bearer token (Authorization)" } as const;

export const lines = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

export function ClientCreateForm({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // A new client may call nothing until flows are ticked: access is granted, never assumed.
  const [scopes, setScopes] = useState<string[]>([]);
  const [secrets, setSecrets] = useState<OnceSecret[]>([]);
  const create = useMutation(
    trpc.clients.create.mutationOptions({
      onSuccess: (created) => {
        setSecrets([
          ...created.credentials.map((c) => ({ label: c.kind === "api_key" ? "API key" : "Bearer token", value: c.token, hint: KIND_LABELS[c.kind] })),
          ...(created.signingSecret ? [{ label: "Signing secret", value: created.signingSecret, hint: "Standard Webhooks (webhook-signature)" }] : []),
        ]);
        void queryClient.invalidateQueries({ queryKey: trpc.clients.list.queryKey() });
      },
    }),
  );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const rate = String(form.get("rate") ?? "").trim();
    const days = String(form.get("days") ?? "").trim();
    create.mutate({
      name: String(form.get("name") ?? "").trim(),
      description: String(form.get("description") ?? ""),
      flowScopes: scopes,
      ipAllowlist: lines(String(form.get("ips") ?? "")),
      rateLimitPerMinute: rate ? Number(rate) : null,
      credentialKind: String(form.get("kind")) as "api_key" | "bearer" | "both",
      withSigningSecret: form.get("signing") === "on",
      requireSignature: form.get("requireSignature") === "on",
      ...(days ? { expiresInDays: Number(days) } : {}),
    });
  }

  if (secrets.length > 0) {
    return (
      <section className={styles.panel}>
        <h2>API client {create.data?.client.name} created</h2>
        <ShownOnce secrets={secrets} onDone={onClose} />
      </section>
    );
  }
  return (
    <section className={styles.panel}>
      <h2>New API client</h2>
      <form className="form-stack" onSubmit={submit} aria-label="New API client">
        <div className={styles.grid}>
          <label>
            Name
            <input name="name" required placeholder="acme-crm" pattern="[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}" />
          </label>
          <label>
            Description
            <input name="description" placeholder="Who this is" />
          </label>
          <label>
            Credential
            <select name="kind" defaultValue="api_key">
              <option value="api_key">API key (x-api-key)</option>
              <option value="bearer">Bearer token</option>
              <option value="both">Both</option>
            </select>
          </label>
          <label>
            Expires after (days, empty: never)
            <input name="days" type="number" min={1} max={3650} />
          </label>
          <label>
            Rate limit (calls per minute, empty: none)
            <input name="rate" type="number" min={1} />
          </label>
          <label>
            IP allowlist (addresses or CIDR ranges, empty: any)
            <textarea name="ips" rows={2} placeholder="203.0.113.0/24" />
          </label>
        </div>
        <ScopePicker value={scopes} onChange={setScopes} />
        <div className={styles.row}>
          <label className={styles.check}>
            <input type="checkbox" name="signing" /> Issue a signing secret (Standard Webhooks)
          </label>
          <label className={styles.check}>
            <input type="checkbox" name="requireSignature" /> Require a signature on every call
          </label>
        </div>
        <ErrorMessage error={create.error} />
        <div className={styles.row}>
          <button type="submit" className="button primary" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create and issue"}
          </button>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
