import { SectionPlaceholder } from "../../components/placeholder";

export default function UsersPage() {
  return <SectionPlaceholder href="/users" />;
}
