/** A JSON value, pretty-printed and read-only (request and response bodies, trace values). */
import { toJsonText } from "./format";

export function JsonView({ value, label }: { value: unknown; label?: string }) {
  if (value === undefined) return <p className="muted">Not logged.</p>;
  return (
    <pre className="json-view" aria-label={label}>
      {toJsonText(value)}
    </pre>
  );
}

/** Headers as a table; secrets arrive already redacted by the server. */
export function HeadersTable({ headers }: { headers: Record<string, string> | undefined }) {
  const entries = Object.entries(headers ?? {});
  if (entries.length === 0) return <p className="muted">No headers logged.</p>;
  return (
    <table className="kv-table">
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name}>
            <th>{name}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
