import { SectionPlaceholder } from "../../components/placeholder";

export default function ConnectionsPage() {
  return <SectionPlaceholder href="/connections" />;
}
