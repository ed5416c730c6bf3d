import { SectionPlaceholder } from "../../components/placeholder";

export default function RecordsPage() {
  return <SectionPlaceholder href="/records" />;
}
