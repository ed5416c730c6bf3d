/** The shapes of the OpenAPI document Flowport generates (openapi.ts builds it). */
import type { PublishedFlow } from "@/server/flows/repository";

export type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: { url: string; description: string; "x-internal": boolean }[];
  paths: Record<string, { post: OpenApiOperation }>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, Record<string, unknown>>;
  };
}

export interface OpenApiParameter {
  name: string;
  in: "header";
  required: boolean;
  description: string;
  schema: JsonSchema;
}

export interface OpenApiExample {
  summary: string;
  description?: string;
  value: unknown;
}

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content: { "application/json": { schema: JsonSchema; examples: Record<string, OpenApiExample> } };
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  /** Any one of the listed requirements authenticates the call (the auth node's methods). */
  security: Record<string, string[]>[];
  parameters: OpenApiParameter[];
  requestBody: { required: true; content: { "application/json": { schema: JsonSchema; examples: Record<string, OpenApiExample> } } };
  responses: Record<string, OpenApiResponse>;
  /** The flow's slug and version, so a developer can tell which contract they read. */
  "x-flow"?: { slug: string; version?: number; mode: "single" | "batch" };
}

/** What the builder needs of a published flow: its slug and definition (version when known). */
export type DocumentedFlow = Pick<PublishedFlow, "slug" | "definition"> & { version?: number; active?: boolean };
