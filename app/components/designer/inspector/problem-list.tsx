/** The graph problems an inspector shows above its fields (the flow's own, or one node's): nothing when there are none. */
import type { GraphError } from "@/flows/validate-graph";
import styles from "./inspector.module.css";

export function ProblemList({ problems }: { problems: GraphError[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className={styles.problems} aria-label="Problems">
      {problems.map((p, i) => (
        <li key={i}>
          <code>{p.code}</code> {p.message}
        </li>
      ))}
    </ul>
  );
}
