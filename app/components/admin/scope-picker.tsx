"use client";
/** Which incoming flows a client may call: all of them, or the ones ticked. */
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/lib/trpc";
import styles from "./admin.module.css";

export function ScopePicker({ value, onChange }: { value: string[]; onChange: (scopes: string[]) => void }) {
  const trpc = useTRPC();
  const options = useQuery(trpc.clients.scopeOptions.queryOptions());
  const all = value.includes("*");
  return (
    <fieldset style={{ border: "none", padding: 0, margin: 0 }}>
      <legend style={{ fontWeight: 600, fontSize: "0.9rem", marginBottom: "0.3rem" }}>Flows it may call</legend>
      <label className={styles.check}>
        <input type="checkbox" checked={all} onChange={(e) => onChange(e.target.checked ? ["*"] : [])} /> All incoming flows
      </label>
      {!all && (
        <div className={styles.row}>
          {options.data?.map((f) => (
            <label key={f.slug} className={styles.check}>
              <input
                type="checkbox"
                checked={value.includes(f.slug)}
                onChange={(e) => onChange(e.target.checked ? [...value, f.slug] : value.filter((s) => s !== f.slug))}
              />
              {f.name} <span className="muted">({f.slug}{f.published ? "" : ", unpublished"})</span>
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}
