/** A status as a coloured pill: green for done, red for failed or revoked, amber for in progress. */
import styles from "./admin.module.css";

const GOOD = new Set(["succeeded", "active", "approved", "posted", "paid", "SUCCESS", "reachable", "qualified", "enabled", "closed"]);
const BAD = new Set(["failed", "revoked", "expired", "disabled", "FAILED", "ERROR", "DUPLICATE", "unreachable", "credential_refused", "lost", "discarded", "inactive", "open"]);
const PENDING = new Set(["pending", "delivering", "draft", "new", "contacted", "half_open", "paused"]);

export function StatusBadge({ status }: { status: string | null | undefined }) {
  if (!status) return <span className={`${styles.badge} ${styles.grey}`}>none</span>;
  const tone = GOOD.has(status) ? styles.ok : BAD.has(status) ? styles.bad : PENDING.has(status) ? styles.warn : "";
  return <span className={`${styles.badge} ${tone}`}>{status.replace(/_/g, " ")}</span>;
}
