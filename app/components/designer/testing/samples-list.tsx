"use client";
/** The flow's named samples: pick, add, rename, delete, and load one from a logged request. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FlowFile, FlowSample } from "@/flows/format";
import { useTRPC } from "@/app/lib/trpc";

interface Props {
  flow: FlowFile;
  onFlowChange: (flow: FlowFile) => void;
  current: string | undefined;
  onSelect: (name: string | undefined) => void;
  canLoadLogs: boolean;
}

/** `name`, or `name (2)`, `name (3)`… so sample names stay unique within the flow. */
export function uniqueName(name: string, taken: string[]): string {
  if (!taken.includes(name)) return name;
  for (let i = 2; ; i++) if (!taken.includes(`${name} (${i})`)) return `${name} (${i})`;
}

export function SamplesList({ flow, onFlowChange, current, onSelect, canLoadLogs }: Props) {
  const [renaming, setRenaming] = useState<string | undefined>();
  const [newName, setNewName] = useState("");
  const [showLogs, setShowLogs] = useState(false);
  const names = flow.samples.map((s) => s.name);
  const setSamples = (samples: FlowSample[]) => onFlowChange({ ...flow, samples });

  const add = (sample: Omit<FlowSample, "name"> & { name: string }) => {
    const name = uniqueName(sample.name, names);
    setSamples([...flow.samples, { ...sample, name }]);
    onSelect(name);
  };

  const commitRename = (from: string) => {
    const to = newName.trim();
    setRenaming(undefined);
    if (to === "" || to === from) return;
    const name = uniqueName(to, names.filter((n) => n !== from));
    setSamples(flow.samples.map((s) => (s.name === from ? { ...s, name } : s)));
    if (current === from) onSelect(name);
  };

  return (
    <div className="samples" data-testid="samples-list">
      <div className="samples-head">
        <h4>Samples</h4>
        <button
          type="button"
          className="button-secondary"
          onClick={() => {
            const base = flow.samples.find((s) => s.name === current);
            add({ name: base ? `${base.name} copy` : "New sample", payload: base?.payload ?? {} });
          }}
        >
          + Add
        </button>
      </div>
      {flow.samples.length === 0 && <p className="muted small">No samples yet. Add one, or load a logged request.</p>}
      <ul className="sample-items" aria-label="Samples">
        {flow.samples.map((s) => (
          <li key={s.name} className={s.name === current ? "active" : undefined} data-sample={s.name}>
            {renaming === s.name ? (
              <input
                autoFocus
                aria-label={`New name for ${s.name}`}
                value={newName}
                onChange={(e) => setNewName(e.target.value)}
                onBlur={() => commitRename(s.name)}
                onKeyDown={(e) => {
                  if (e.key === "Enter") commitRename(s.name);
                  if (e.key === "Escape") setRenaming(undefined);
                }}
              />
            ) : (
              // A list of buttons, not a listbox: each sample has its own rename and delete buttons beside it.
              <button type="button" className="sample-name" aria-pressed={s.name === current} onClick={() => onSelect(s.name)} title={s.description}>
                {s.name}
                {s.expect && <span className="expect-chip">expects {s.expect.status}</span>}
              </button>
            )}
            <span className="sample-actions">
              <button
                type="button"
                className="icon-button"
                aria-label={`Rename ${s.name}`}
                title="Rename"
                onClick={() => {
                  setRenaming(s.name);
                  setNewName(s.name);
                }}
              >
                ✎
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`Delete ${s.name}`}
                title="Delete"
                onClick={() => {
                  if (!window.confirm(`Delete the sample “${s.name}”?`)) return;
                  setSamples(flow.samples.filter((x) => x.name !== s.name));
                  if (current === s.name) onSelect(flow.samples.find((x) => x.name !== s.name)?.name);
                }}
              >
                ×
              </button>
            </span>
          </li>
        ))}
      </ul>
      {canLoadLogs && (
        <div className="load-from-log">
          <button type="button" className="link-button" aria-expanded={showLogs} onClick={() => setShowLogs((v) => !v)}>
            {showLogs ? "Hide logged requests" : "Load from a logged request…"}
          </button>
          {showLogs && <LoggedRequests flowSlug={flow.slug} onLoad={add} />}
        </div>
      )}
    </div>
  );
}

function LoggedRequests({ flowSlug, onLoad }: { flowSlug: string; onLoad: (sample: FlowSample) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const recent = useQuery(trpc.designerTesting.recentRequests.queryOptions({ flowSlug, limit: 20 }));
  const [error, setError] = useState<string | undefined>();
  const [loading, setLoading] = useState<string | undefined>();

  if (recent.isPending) return <p className="muted small">Loading the log…</p>;
  if (recent.isError) return <p className="field-issue error">{recent.error.message}</p>;
  if (recent.data.length === 0) return <p className="muted small">No logged requests for this flow yet.</p>;
  return (
    <>
      <ul className="logged-requests" aria-label="Logged requests">
        {recent.data.map((r) => (
          <li key={r.id}>
            <button
              type="button"
              disabled={loading !== undefined}
              onClick={async () => {
                setError(undefined);
                setLoading(r.id);
                try {
                  onLoad(await queryClient.fetchQuery(trpc.designerTesting.sampleFromRequest.queryOptions({ flowSlug, executionId: r.id })));
                } catch (e) {
                  setError((e as Error).message);
                } finally {
                  setLoading(undefined);
                }
              }}
            >
              <span className={`status-dot status-${r.status.toLowerCase()}`} aria-hidden />
              <span className="mono">{r.startedAt.toLocaleString()}</span> {r.status}
              {r.httpStatus ? ` ${r.httpStatus}` : ""}
              {r.errorCode ? ` · ${r.errorCode}` : ""}
              {r.recordId ? ` · ${r.recordId}` : ""}
              {r.mode !== "live" ? ` · ${r.mode}` : ""}
              {r.keyValues && (
                <span className="logged-keys" data-testid="logged-key-values">
                  {r.keyValues.slice(0, 3).map(({ field, value }) => (
                    <span key={field} className="logged-key" title={`${field}: ${value}`}>
                      <span className="muted">{field}</span> {value}
                    </span>
                  ))}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
      {error && <p className="field-issue error">{error}</p>}
    </>
  );
}
