import { StatusRulesSettings } from "@/app/components/admin/status-rules-settings";

export default function SettingsPage() {
  return (
    <section>
      <h1>Settings</h1>
      <p className="muted">Return status rules: which HTTP answer each outcome of an incoming call produces.</p>
      <StatusRulesSettings />
    </section>
  );
}
