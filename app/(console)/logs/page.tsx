import { LogsView } from "../../components/logs/logs-view";

export default function IncomingLogsPage() {
  return <LogsView direction="incoming" />;
}
