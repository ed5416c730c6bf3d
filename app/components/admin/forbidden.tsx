/** What a role that may not open a page sees instead of it (the server refuses its procedures too). */
import styles from "./admin.module.css";

export function Forbidden({ title, permission, role }: { title: string; permission: string; role: string }) {
  return (
    <section>
      <h1>{title}</h1>
      <div className={styles.forbidden} role="alert">
        <strong>Not available to your role.</strong>
        <p className="muted">
          This page needs the {permission} permission, which the {role} role does not have. Ask an admin if you need it.
        </p>
      </div>
    </section>
  );
}
