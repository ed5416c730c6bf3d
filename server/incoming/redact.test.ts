import { describe, expect, it } from "vitest";
import { isSecretName, redactHeaders, redactLogged, redactText } from "./redact";

describe("redaction by name", () => {
  it("takes names that look like credentials, and leaves business names and the kept ones", () => {
    for (const name of ["x-auth-token", "Api-Key", "X-Access-Token", "authorization", "proxy-authorization", "cookie", "Set-Cookie", "webhook-signature", "password", "Passwd", "user_pwd", "client_secret", "apiKey", "privateKey", "sessionId", "accesstoken", "authCode"]) {
      expect(isSecretName(name), name).toBe(true);
    }
    for (const name of ["GST_No", "author", "Authority_Name", "keyField", "keyword", "Idempotency-Key", "www-authenticate", "content-type", "x-request-id", "webhook-id", "Vendor_Name", "passport_no"]) {
      expect(isSecretName(name), name).toBe(false);
    }
  });

  it("keeps our tokens' public prefix and the scheme", () => {
    expect(redactHeaders({ authorization: "Bearer fpt_AbCd1234_secretpart", "x-api-key": "fpk_AbCd1234_secretpart", "x-auth-token": "abc" })).toEqual({
      authorization: "Bearer fpt_AbCd1234_[redacted]",
      "x-api-key": "fpk_AbCd1234_[redacted]",
      "x-auth-token": "[redacted]",
    });
  });

  it("walks nested objects and arrays, copies only what changes and never alters its input", () => {
    const shared = { city: "Pune" };
    const input = { a: shared, list: [{ token: "t", keep: 1 }, shared], credentials: { password: "p" }, Aadhaar_No: "1234", n: null };
    const copy = structuredClone(input);
    const out = redactLogged(input, ["AADHAAR_NO"]);
    expect(out).toEqual({ a: { city: "Pune" }, list: [{ token: "[redacted]", keep: 1 }, { city: "Pune" }], credentials: { password: "[redacted]" }, Aadhaar_No: "[redacted]", n: null });
    expect(input).toEqual(copy);
    expect(out.a).toBe(shared);
    const clean = { a: [1, { b: "c" }] };
    expect(redactLogged(clean)).toBe(clean);
  });

  it("redacts secret-named members of a trace value the engine cut into a preview, even one cut mid-value", () => {
    const preview = '{"name":"Asha","password":"hunter2-long","nested":{"api_key":"k-123"},"Aadhaar_No":"9876","token":"abc\\"def","count":3,"secret":"cut-of';
    const out = redactLogged({ input: { truncated: true, size: 70_000, preview } }, ["aadhaar_no"]);
    expect(out.input.preview).toBe('{"name":"Asha","password":"[redacted]","nested":{"api_key":"[redacted]"},"Aadhaar_No":"[redacted]","token":"[redacted]","count":3,"secret":"[redacted]"');
  });
});

describe("redaction in free text", () => {
  it("takes a URL's password, a Bearer or Basic token and secret-named values, and leaves the rest readable", () => {
    expect(redactText("connect ECONNREFUSED postgres://flowport:hunter2@10.0.0.7:5432/erp")).toBe("connect ECONNREFUSED postgres://flowport:[redacted]@10.0.0.7:5432/erp");
    expect(redactText("refused (password=hunter2)")).toBe("refused (password=[redacted])");
    expect(redactText("GET https://api.example.com/v1?city=Pune&api_key=abc123&page=2")).toBe("GET https://api.example.com/v1?city=Pune&api_key=[redacted]&page=2");
    expect(redactText("sent Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x.y to the portal")).toBe("sent Authorization: Bearer [redacted] to the portal");
    expect(redactText("header Basic dXNlcjpzZWNyZXQ= refused")).toBe("header Basic [redacted] refused");
    expect(redactText('body {"client_secret":"s3cr3t","vendorName":"ABC"}')).toBe('body {"client_secret":"[redacted]","vendorName":"ABC"}');
    expect(redactText("x-auth-token: 'abc def'")).toBe("x-auth-token: [redacted]");
    // What failed, where: untouched.
    const ordinary = "Error: GST_No: invalid at https://erp.example.com/vendors (file:///app/server/a.ts:12:5) key=GST_No status: 502";
    expect(redactText(ordinary)).toBe(ordinary.replace("key=GST_No", "key=[redacted]"));
    expect(redactText("Unexpected token } in JSON at position 5")).toBe("Unexpected token } in JSON at position 5");
  });
});

describe("redaction of hostile text", () => {
  // A guard against a hang, not a speed target: the patterns were quadratic in the length (a 64 KB
  // run of "a-" took 1.6 s, a 320 KB run of escaped quotes 67 s); linear, all four take under a second.
  it("redacts 320 KB runs of quotes and escapes, dashes or dotted names without a quadratic blow-up", () => {
    for (const unit of ['"\\', "a-", "a.", "x-y.z+w:"]) {
      const text = `${unit.repeat(160_000)} password=hunter2`;
      expect(redactText(text).endsWith("password=[redacted]")).toBe(true);
    }
  }, 20_000);
});
