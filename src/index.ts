// Public library surface of wassette: the application core, the MCP layer over it, and the pure building blocks.
// Named exports only; everything here is covered by semver once 1.0 is out.

// The application core
export { openWassette, Wassette, type WassetteOptions, type LoadRequestResult } from './core/wassette.js';
export type { ComponentSummary, Prepared } from './core/summary.js';
export type { Permissions, GrantRequestResult, PolicyView } from './core/permissions.js';
export type { Secrets, SecretsOwner } from './core/secrets.js';
export type { ApprovalRequests } from './core/approval-requests.js';
export type { DecideResult } from './approvals/decide.js';
export type { PruneReport } from './core/cache-prune.js';
export type { CallContext } from './core/call-context.js';
export type { AuditEntry, AuditQuery } from './store/audit.js';
export type { ApprovalRequest, ApprovalStatus, ApprovalKind } from './store/approvals.js';

// The MCP layer
export { wassetteBackend } from './mcp/backend.js';
export { createMcpServer, SERVER_INFO, type McpBackend } from './mcp/mcp-server.js';
export { serveHttp, parseListenAddress, type HttpOptions } from './mcp/http.js';
export { BUILTIN_NAMES } from './mcp/builtins/list.js';

// Configuration, errors, logging
export { loadConfig, parseMemoryQuantity, type Config, type ConfigOverrides, type ApprovalMode } from './config.js';
export { WassetteError, ErrorCode, isWassetteError, type ErrorCodeValue } from './errors.js';
export { createLogger, silentLogger, type Logger, type LogLevel } from './log.js';

// Pure building blocks
export { parseSource, type SourceRef } from './component/source.js';
export { decodeComponent } from './component/decode-component.js';
export { printWit } from './component/wit-print.js';
export { componentTools, toolResultToJson, type ToolDef } from './component/tools.js';
export { witTypeToSchema, toolSchemas, type JSONSchema } from './component/schema.js';
export { jsonToWit, witToJson, argsToWit } from './component/values.js';
export type { WitType, WitFunction, WitInterface, ComponentDescription } from './component/wit-types.js';
export { parsePolicy, serializePolicy, type Policy } from './sandbox/policy.js';
export type { Grant, GrantKind } from './sandbox/grants.js';
export { toSandboxSpec, effectivePolicy } from './sandbox/effective-policy.js';
export type { SandboxSpec, Denial } from './sandbox/spec.js';
export { ComponentRuntime } from './runtime/component-runtime.js';
export { pullComponent } from './oci/pull.js';
export { publishComponent } from './oci/publish.js';
export { verifySignatures } from './oci/signatures.js';
