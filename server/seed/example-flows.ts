/** Seeds the shipped example flows (flows/examples) on first start, each published as v1. */
import { readFlowFiles, EXAMPLES_DIR } from "../flows/files";
import { systemActor } from "../audit/actor";
import { publishFlow } from "../flows/publish-flow";
import { saveDraft } from "../flows/repository";
import { logger } from "../log";
import type { Seeder } from ".";

export const exampleFlowsSeeder: Seeder = {
  name: "example-flows",
  async run({ sql }) {
    const published: string[] = [];
    for (const { flow } of readFlowFiles(EXAMPLES_DIR)) {
      await saveDraft(sql, flow);
      try {
        await publishFlow(sql, { slug: flow.slug }, systemActor("seed"));
        published.push(flow.slug);
      } catch (error) {
        logger().warn({ slug: flow.slug, err: error }, "example flow left as a draft: it does not validate");
      }
    }
    return { banner: [`example flows: ${published.length} published (${published.join(", ")})`] };
  },
};
