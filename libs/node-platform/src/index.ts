/**
 * @dirconn/node-platform — the one Node composition root: builds the real dependencies of the core
 * use cases (store + lock, secrets, HTTP with proxy and CA, clock, logger, registry, ids) for the CLI,
 * the desktop main process and `dirconn ui`.
 */
export { createNodePlatform, type NodePlatform, type NodePlatformOptions, type WorkspaceOptions } from './node-platform.js';
export { streamLogger, type StreamLoggerOptions } from './stream-logger.js';
export { jsonLogger, type JsonLoggerOptions } from './json-logger.js';
export { createLogger, type CreateLoggerOptions } from './create-logger.js';
export { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from './log-level.js';
export { DEFAULT_LOG_MAX_BYTES, DEFAULT_LOG_MAX_FILES, RotatingFile, type RotatingFileOptions } from './rotating-file.js';
export { nodeFileWriter } from './node-file-writer.js';
export { systemClock } from './system-clock.js';
export { deviceName, deviceTypeForPlatform } from './device.js';
export { nodeFiles } from './node-files.js';
export { workspacePort } from './workspace-port.js';
