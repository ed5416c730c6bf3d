import { NAV_ITEMS } from "./nav-items";

/** A section whose screens arrive in a later issue: says what will live here. */
export function SectionPlaceholder({ href }: { href: string }) {
  const item = NAV_ITEMS.find((i) => i.href === href);
  return (
    <section>
      <h1>{item?.label}</h1>
      <p className="muted">{item?.description}</p>
      <div className="empty">Nothing here yet.</div>
    </section>
  );
}
