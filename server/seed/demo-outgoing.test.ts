import { describe, expect, it } from "vitest";
import { env } from "../env";
import { getConnection } from "../outgoing/connections";
import { useTestDatabase } from "../testing/database";
import { demoOutgoingSeeder, repointDemoConnections } from "./demo-outgoing";

const db = useTestDatabase();

describe("demo outgoing connections", () => {
  it("are seeded pointing at the demo receivers' own port", async () => {
    await demoOutgoingSeeder.run(db());
    const port = env().demoPort;
    expect((await getConnection(db().sql, "accounting-system")).baseUrl).toBe(`http://127.0.0.1:${port}/accounting`);
    expect((await getConnection(db().sql, "payment-portal")).baseUrl).toBe(`http://127.0.0.1:${port}/payment-portal`);
  });

  it("still on the old in-app default (/api/demo) are re-pointed; a URL someone changed is kept", async () => {
    const sql = db().sql;
    // A data dir seeded before the receivers moved out of the app; an admin pointed the portal elsewhere.
    await sql`update connections set base_url = 'http://127.0.0.1:3000/api/demo/accounting' where name = 'accounting-system'`;
    await sql`update connections set base_url = 'https://portal.example.com/api/demo/payment-portal' where name = 'payment-portal'`;

    expect(await repointDemoConnections(sql, 4567)).toEqual(["accounting-system"]);
    expect((await getConnection(sql, "accounting-system")).baseUrl).toBe("http://127.0.0.1:4567/accounting");
    expect((await getConnection(sql, "payment-portal")).baseUrl).toBe("https://portal.example.com/api/demo/payment-portal");
    expect(await repointDemoConnections(sql, 4567)).toEqual([]);
  });
});
