/**
 * `botbuilder-adapter-ucwa/emulator`: the local UCWA 2.0 emulator (issue #2). A separate package subpath so
 * production code never loads it.
 */
export { UcwaEmulator } from './emulator.js';
export type { StartOptions, UcwaEmulatorExtraOptions } from './emulator.js';
export type {
  Availability, EmulatorApplicationInfo, EmulatorUserConfig, FaultApi, FaultHandle, FaultResource, FaultSpec, RecordedRequest,
  SimulatedConversation, SimulatedMessage, SimulatedUser, UcwaEmulatorOptions,
} from './types.js';
export type { UcwaEmulator as UcwaEmulatorApi } from './types.js';
