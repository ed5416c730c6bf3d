import Link from "next/link";
import { Dashboard } from "../components/charts/dashboard";
import { NAV_ITEMS } from "../components/nav-items";

export default function OverviewPage() {
  return (
    <section>
      <h1>Overview</h1>
      <p className="muted">Two-way API integration for your ERP: external systems push in, the ERP pushes out.</p>
      <Dashboard />
      <ul className="cards">
        {NAV_ITEMS.map((item) => (
          <li key={item.href}>
            <Link href={item.href} className="card">
              <strong>{item.label}</strong>
              <span className="muted">{item.description}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
