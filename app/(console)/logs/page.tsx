import { SectionPlaceholder } from "../../components/placeholder";

export default function LogsPage() {
  return <SectionPlaceholder href="/logs" />;
}
