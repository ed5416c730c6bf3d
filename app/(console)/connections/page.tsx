import { ConnectionsList } from "@/app/components/admin/connections-list";
import { ConnectionsTabs } from "@/app/components/admin/connections-tabs";

export default function ConnectionsPage() {
  return (
    <section>
      <h1>Connections</h1>
      <ConnectionsTabs current="connections" />
      <ConnectionsList />
    </section>
  );
}
