"use client";
/** Create or edit a connection. Credentials are picked by name; secret headers are refused by the server in favour of a credential. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formatRetrySchedule, parseRetrySchedule } from "@/flows/retry-schedule";
import type { RouterOutputs } from "@/app/lib/router-types";
import { useTRPC } from "@/app/lib/trpc";
import { FormActions } from "./data-table";
import styles from "./admin.module.css";

/** A connection as the list returns it (inferred from the router: no copy of the server's type). */
export type ConnectionValue = RouterOutputs["connections"]["list"][number];

/** An optional limit: empty means none. */
const limitOf = (value: FormDataEntryValue | null) => (value === null || String(value).trim() === "" ? null : Number(value));

function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^\s*([^:=\s]+)\s*[:=]\s*(.*)$/.exec(line);
    if (match) headers[match[1]!] = match[2]!.trim();
  }
  return headers;
}

export function ConnectionForm({ initial, onClose }: { initial?: ConnectionValue; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const credentials = useQuery(trpc.connections.credentialNames.queryOptions());
  const [scheduleError, setScheduleError] = useState<string | null>(null);
  const save = useMutation(
    trpc.connections.save.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.connections.list.queryKey() });
        onClose();
      },
    }),
  );
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const credential = String(form.get("credential") ?? "");
    // The same reading as the server's (flows/retry-schedule.ts), so a typo is named before saving.
    const schedule = String(form.get("retrySchedule") ?? "").trim();
    const parsed = schedule === "" || schedule.toLowerCase() === "default" ? undefined : parseRetrySchedule(schedule);
    setScheduleError(parsed && !parsed.ok ? parsed.message : null);
    if (parsed && !parsed.ok) return;
    save.mutate({
      name: String(form.get("name") ?? "").trim(),
      baseUrl: String(form.get("baseUrl") ?? "").trim(),
      method: String(form.get("method") ?? "POST"),
      defaultHeaders: parseHeaders(String(form.get("headers") ?? "")),
      credentialName: credential || null,
      timeoutMs: Number(form.get("timeout") ?? 10000),
      retrySchedule: schedule,
      maxAttempts: limitOf(form.get("attempts")),
      allowPrivate: form.get("allowPrivate") === "on",
      followRedirects: form.get("followRedirects") === "on",
      owner: String(form.get("owner") ?? "").trim() || "external",
      maxInFlight: limitOf(form.get("maxInFlight")),
      maxPerSecond: limitOf(form.get("maxPerSecond")),
    });
  }
  return (
    <section className={styles.panel}>
      <h2>{initial ? `Edit connection ${initial.name}` : "New connection"}</h2>
      <form className="form-stack" onSubmit={submit} aria-label="Connection">
        <div className={styles.grid}>
          <label>
            Name
            <input name="name" required defaultValue={initial?.name} readOnly={initial !== undefined} />
          </label>
          <label>
            Base URL
            <input name="baseUrl" type="url" required defaultValue={initial?.baseUrl} placeholder="https://accounting.example.com/api" />
          </label>
          <label>
            Method
            <select name="method" defaultValue={initial?.method ?? "POST"}>
              {["POST", "PUT", "PATCH", "GET", "DELETE"].map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </label>
          <label>
            Credential
            {/* The connection's own credential is an option from the first render: an uncontrolled select
                keeps the value it mounted with, and the names arrive later (saving showed "None" and
                dropped the credential). */}
            <select name="credential" defaultValue={initial?.credentialName ?? ""}>
              <option value="">None</option>
              {[...new Set([...(initial?.credentialName ? [initial.credentialName] : []), ...(credentials.data ?? [])])].map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
          <label>
            Timeout (ms)
            <input name="timeout" type="number" min={100} max={120000} defaultValue={initial?.timeoutMs ?? 10000} />
          </label>
          <label>
            Retry schedule (empty: default 5s, 5m, 30m, 2h, 5h, 10h, 10h)
            <input
              name="retrySchedule"
              placeholder="5s, 5m, 30m, 2h"
              defaultValue={initial?.retryScheduleMs ? formatRetrySchedule(initial.retryScheduleMs) : ""}
              aria-invalid={scheduleError !== null}
              aria-describedby={scheduleError ? "retry-schedule-error" : undefined}
            />
            {scheduleError && (
              <span id="retry-schedule-error" role="alert" className={styles.fieldError}>
                {scheduleError}
              </span>
            )}
          </label>
          <label>
            Attempts (empty: default 8)
            <input name="attempts" type="number" min={1} max={20} defaultValue={initial?.maxAttempts ?? ""} />
          </label>
          <label>
            At most in flight (empty: no limit)
            <input name="maxInFlight" type="number" min={1} max={1000} defaultValue={initial?.maxInFlight ?? ""} />
          </label>
          <label>
            At most per second (empty: no limit)
            <input name="maxPerSecond" type="number" min={1} max={10000} defaultValue={initial?.maxPerSecond ?? ""} />
          </label>
          <label>
            Owner (who provided the endpoint and credential)
            <input name="owner" defaultValue={initial?.owner ?? "external"} />
          </label>
          <label>
            Default headers (name: value, one per line; no secrets)
            <textarea
              name="headers"
              rows={3}
              defaultValue={Object.entries(initial?.defaultHeaders ?? {})
                .map(([k, v]) => `${k}: ${v}`)
                .join("\n")}
            />
          </label>
        </div>
        <div className={styles.row}>
          <label className={styles.check}>
            <input type="checkbox" name="allowPrivate" defaultChecked={initial?.allowPrivate} /> Allow private and loopback addresses
          </label>
          <label className={styles.check}>
            <input type="checkbox" name="followRedirects" defaultChecked={initial?.followRedirects} /> Follow redirects
          </label>
        </div>
        <FormActions saveLabel="Save connection" pending={save.isPending} error={save.error} onCancel={onClose} />
      </form>
    </section>
  );
}
