/**
 * `send-ops-alert`: posts one operations alert to FLOWPORT_OPS_WEBHOOK_CONNECTION (see
 * server/outgoing/alerts.ts for the event shape). A refused or failed post throws, so
 * graphile-worker retries it with its own backoff (at most 10 times).
 */
import type { Task } from "graphile-worker";
import { getSql } from "../../db/client";
import { logger } from "../../log";
import { sendOpsAlert } from "../../outgoing/alerts";

export const sendOpsAlertTask: Task = async (payload) => {
  const { alertId } = payload as { alertId?: unknown };
  if (typeof alertId !== "number" && typeof alertId !== "string") {
    logger().warn({ payload }, "send-ops-alert without alertId; ignored");
    return;
  }
  await sendOpsAlert(await getSql(), Number(alertId));
};
