/**
 * `deliver-outgoing` {deliveryId}: one attempt of an outgoing delivery (server/outgoing/deliver.ts).
 * A failed send completes the job normally: the delivery schedules its own next attempt, so
 * graphile's retries (which only follow a crash or a database error) never double ours.
 */
import type { Task } from "graphile-worker";
import { getSql } from "../../db/client";
import { logger } from "../../log";
import { deliverOnce } from "../../outgoing/deliver";

export const deliverOutgoing: Task = async (payload) => {
  const { deliveryId } = payload as { deliveryId?: string };
  if (typeof deliveryId !== "string") {
    logger().warn({ payload }, "deliver-outgoing without a deliveryId; ignored");
    return;
  }
  const outcome = await deliverOnce(await getSql(), deliveryId);
  logger().debug(outcome, "outgoing delivery attempt");
};
