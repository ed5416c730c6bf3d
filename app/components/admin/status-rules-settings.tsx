"use client";
/**
 * Return status rules (the seed's §3.6): the installation's defaults (settings.manage) and each
 * flow's overrides (flows.publish: saving publishes a new version of the flow). An outcome left at
 * the built-in rule follows the defaults.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { DEFAULT_STATUS_RULES, OUTCOMES, type Outcome, type StatusRules } from "@/flows/format";
import { useTRPC } from "@/app/lib/trpc";
import { useCan } from "@/app/lib/use-can";
import { ErrorMessage } from "./error-message";
import styles from "./admin.module.css";

const HAS_MESSAGE: Record<Outcome, boolean> = { SUCCESS: true, FAILED: false, DUPLICATE: true, ERROR: true };
const MEANING: Record<Outcome, string> = {
  SUCCESS: "record saved",
  FAILED: "validation or workflow rule failed (errorCode and errors in the body)",
  DUPLICATE: "the record already exists",
  ERROR: "unexpected failure (the cause stays in the log)",
};

function rulesFrom(form: FormData, prefix: string): StatusRules {
  const status = (o: Outcome) => Number(form.get(`${prefix}.${o}.httpStatus`));
  const message = (o: Outcome) => String(form.get(`${prefix}.${o}.message`) ?? "").trim();
  return {
    SUCCESS: { httpStatus: status("SUCCESS"), message: message("SUCCESS") || DEFAULT_STATUS_RULES.SUCCESS.message },
    FAILED: { httpStatus: status("FAILED") },
    DUPLICATE: { httpStatus: status("DUPLICATE"), ...(message("DUPLICATE") ? { message: message("DUPLICATE") } : {}) },
    ERROR: { httpStatus: status("ERROR"), message: message("ERROR") || DEFAULT_STATUS_RULES.ERROR.message },
  };
}

function RulesFields({ prefix, rules, disabled }: { prefix: string; rules: StatusRules; disabled: boolean }) {
  return (
    <table className={styles.table}>
      <thead>
        <tr>
          <th>Outcome</th>
          <th>HTTP status</th>
          <th>Message</th>
        </tr>
      </thead>
      <tbody>
        {OUTCOMES.map((o) => {
          const rule = rules[o] as { httpStatus: number; message?: string };
          return (
            <tr key={o}>
              <td>
                <strong>{o}</strong>
                <div className={styles.note}>{MEANING[o]}</div>
              </td>
              <td>
                <input name={`${prefix}.${o}.httpStatus`} aria-label={`${o} HTTP status`} type="number" min={100} max={599} defaultValue={rule.httpStatus} disabled={disabled} style={{ width: "6rem" }} />
              </td>
              <td>
                {HAS_MESSAGE[o] ? (
                  <input name={`${prefix}.${o}.message`} aria-label={`${o} message`} defaultValue={rule.message ?? ""} disabled={disabled} placeholder={o === "DUPLICATE" ? "the error's own message" : ""} style={{ width: "100%", minWidth: "16rem" }} />
                ) : (
                  <span className="muted">the first error&apos;s message</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function StatusRulesSettings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canDefaults = useCan("settings.manage");
  const canPublish = useCan("flows.publish");
  const data = useQuery(trpc.statusRules.get.queryOptions());
  const [editing, setEditing] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.statusRules.get.queryKey() });
  const setDefaults = useMutation(trpc.statusRules.setDefaults.mutationOptions({ onSuccess: () => void refresh() }));
  const setFlow = useMutation(
    trpc.statusRules.setFlow.mutationOptions({
      onSuccess: () => {
        setEditing(null);
        void refresh();
      },
    }),
  );
  if (data.error) return <ErrorMessage error={data.error} />;
  if (!data.data) return <p className="muted">Loading…</p>;
  const { defaults, flows } = data.data;

  return (
    <div>
      <section className={styles.panel}>
        <h2>Defaults</h2>
        <p className={styles.note}>Every flow answers with these unless it overrides an outcome.{canDefaults ? "" : " Only an admin (settings.manage) can change them."}</p>
        <form
          key={JSON.stringify(defaults)}
          aria-label="Default status rules"
          onSubmit={(event: FormEvent<HTMLFormElement>) => {
            event.preventDefault();
            setDefaults.mutate({ rules: rulesFrom(new FormData(event.currentTarget), "defaults") });
          }}
        >
          <RulesFields prefix="defaults" rules={defaults} disabled={!canDefaults} />
          <ErrorMessage error={setDefaults.error} />
          {canDefaults && (
            <div className={styles.row} style={{ marginTop: "0.75rem" }}>
              <button type="submit" className="button primary" disabled={setDefaults.isPending}>
                Save defaults
              </button>
              {setDefaults.isSuccess && <span className="muted">Saved: every flow without an override answers with these now.</span>}
            </div>
          )}
        </form>
      </section>

      <section className={styles.panel}>
        <h2>Per-flow overrides</h2>
        <p className={styles.note}>
          Saving a flow&apos;s overrides publishes it as a new version (flows.publish), so the change is versioned and can be rolled back. A flow with unpublished draft edits must be published or reverted first.
        </p>
        <div className={styles.wrap}>
          <table className={styles.table} aria-label="Per-flow status rules">
            <thead>
              <tr>
                <th>Flow</th>
                <th>Version</th>
                <th>Overrides</th>
                <th>Answers with</th>
                {canPublish && <th />}
              </tr>
            </thead>
            <tbody>
              {flows
                .filter((f) => f.direction === "incoming")
                .map((f) => (
                  <tr key={f.slug}>
                    <td>
                      {f.name}
                      <div className={styles.note}>{f.slug}</div>
                    </td>
                    <td>{f.publishedVersion ?? "unpublished"}</td>
                    <td>{f.overrides.length > 0 ? f.overrides.join(", ") : <span className="muted">none (defaults)</span>}</td>
                    <td>{OUTCOMES.map((o) => `${o} ${f.effective[o].httpStatus}`).join(" · ")}</td>
                    {canPublish && (
                      <td>
                        <button type="button" className="button" onClick={() => setEditing(editing === f.slug ? null : f.slug)} disabled={f.hasDraftChanges && f.publishedVersion !== null} title={f.hasDraftChanges ? "The draft has unpublished edits" : undefined}>
                          Edit overrides
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
        {editing &&
          (() => {
            const flow = flows.find((f) => f.slug === editing)!;
            return (
              <form
                key={editing}
                aria-label={`Status rules of ${editing}`}
                style={{ marginTop: "1rem" }}
                onSubmit={(event: FormEvent<HTMLFormElement>) => {
                  event.preventDefault();
                  setFlow.mutate({ slug: editing, rules: rulesFrom(new FormData(event.currentTarget), "flow") });
                }}
              >
                <h3>{flow.name}: an outcome left at the built-in value ({OUTCOMES.map((o) => DEFAULT_STATUS_RULES[o].httpStatus).join("/")}) follows the defaults</h3>
                <RulesFields prefix="flow" rules={flow.rules} disabled={false} />
                <ErrorMessage error={setFlow.error} />
                <div className={styles.row} style={{ marginTop: "0.75rem" }}>
                  <button type="submit" className="button primary" disabled={setFlow.isPending}>
                    Save and publish
                  </button>
                  <button type="button" className="button" onClick={() => setEditing(null)}>
                    Cancel
                  </button>
                </div>
              </form>
            );
          })()}
      </section>
    </div>
  );
}
