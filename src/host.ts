/**
 * `botbuilder-adapter-ucwa/host`: the restify host that `npm start` runs, for deployments that build their own
 * entry point. A separate subpath so that importing the adapter never loads restify.
 */
export { createHost } from './server/host.js';
export { createRoutes, readinessFrom } from './server/routes.js';
export { loadConfig, ConfigError } from './server/config.js';
export { loadDotenv, parseDotenv } from './server/dotenv.js';
export { createLogger } from './server/logger.js';
export { PrometheusMetrics } from './server/metrics.js';
export { loadBotManifest, validateBotManifest, ManifestError } from './server/manifest.js';
export type { Config, UcwaConfig, LogLevel } from './server/config.js';
export type { Host, HostOptions } from './server/host.js';
export type { Route, RouteRequest, RouteResponse, Readiness, RouteDeps, HttpMethod } from './server/routes.js';
export type { BotManifest } from './server/manifest.js';
export { startBot, StartupAbortedError } from './server/start-bot.js';
export { activityLog } from './server/activity-log.js';
export { checkManifest } from './server/check-manifest.js';
export type { RunningBot, StartBotOptions } from './server/start-bot.js';
