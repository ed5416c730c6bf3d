import { RetentionSettings } from "../../../components/logs/retention-settings";

export default function LogRetentionPage() {
  return <RetentionSettings />;
}
