import { SectionPlaceholder } from "../../components/placeholder";

export default function ClientsPage() {
  return <SectionPlaceholder href="/clients" />;
}
