/**
 * The engine's public surface, for the incoming route, the outgoing job, the designer's dry run,
 * the CLI and the sample runner. Server-only: it pulls in every node executor.
 */
export { compileFlow, getPlan, peekPlan, forgetPlan, type ExecutionPlan, type PlanNode, type CompileOptions } from "./compile";
export { execute, type ExecuteOptions, type ExecutionResult, type ItemResult, type RecordResult } from "./execute";
export { FlowError, FLOW_ERROR_STATUS, outcomeOf, toFlowError, type FieldError, type FlowErrorCode, type SerializedFlowError } from "./errors";
export { compileExpression, DEFAULT_LIMITS, type CompiledExpression, type ExpressionLimits } from "./jsonata";
export { runSamples, runSample, compareWithExpectation, type SampleReport } from "./samples";
export type {
  EngineServices,
  RecordServices,
  AuthServices,
  StoreOptions,
  StoredRecord,
  ErpRecord,
  OutgoingRequest,
  OutgoingResponse,
  IncomingAuthRequest,
  EngineLogger,
} from "./services";
export type { TraceEntry, TraceStatus, TruncatedValue } from "./trace";
export type { EngineEvent, ExecutionMode } from "./types";
