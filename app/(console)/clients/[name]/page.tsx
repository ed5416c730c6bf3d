import Link from "next/link";
import { ClientDetail } from "@/app/components/admin/client-detail";

export default async function ClientPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return (
    <section>
      <p>
        <Link href="/clients">← API clients</Link>
      </p>
      <ClientDetail name={decodeURIComponent(name)} />
    </section>
  );
}
