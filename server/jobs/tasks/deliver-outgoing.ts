/**
 * `deliver-outgoing`: attempts of outgoing deliveries, {deliveryIds} (first attempts, queued
 * together by createDeliveries) or {deliveryId} (a retry, queued alone at its time); see
 * deliverAttempts in server/outgoing/deliver.ts. A failed send completes the job normally: the
 * delivery schedules its own next attempt, so graphile's retries (which only follow a crash or a
 * database error) never double ours.
 */
import type { Task } from "graphile-worker";
import { getSql } from "../../db/client";
import { logger } from "../../log";
import { deliverAttempts } from "../../outgoing/deliver";
import { giveWay } from "../../outgoing/give-way";

export const deliverOutgoing: Task = async (payload, helpers) => {
  const { deliveryId, deliveryIds } = payload as { deliveryId?: unknown; deliveryIds?: unknown };
  const firstAttempts = Array.isArray(deliveryIds) && deliveryIds.every((id) => typeof id === "string");
  if (typeof deliveryId !== "string" && !firstAttempts) {
    logger().warn({ payload }, "deliver-outgoing without deliveryId or deliveryIds; ignored");
    return;
  }
  // Live calls first: while they keep the web busy, delivery jobs start paced (give-way.ts).
  await giveWay();
  const outcomes = await deliverAttempts(await getSql(), firstAttempts ? (deliveryIds as string[]) : [deliveryId as string], {
    firstAttemptOnly: firstAttempts,
    // The claim records this job: another job for the same delivery leaves it alone while this one runs.
    jobId: String(helpers.job.id),
  });
  for (const outcome of outcomes) logger().debug(outcome, "outgoing delivery attempt");
};
