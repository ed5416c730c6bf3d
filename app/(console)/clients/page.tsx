import { ClientsList } from "@/app/components/admin/clients-list";

export default function ClientsPage() {
  return (
    <section>
      <ClientsList />
    </section>
  );
}
