/*
 * @vigil/demo: the living demo. `seedDemo` writes a workspace with 30 days of three models'
 * history straight through the data layer; `startSimulator` continues the same story through
 * the SDK while the platform runs. Both draw from the deterministic generators below.
 */
export { readCredentials, writeCredentials, type DemoCredentials } from './credentials.js';
export { DEMO_MODELS, generateHour, generateReference, historyHour, historyHours, hourlyVolume, REFERENCE_ROWS, type DemoEvent } from './generate.js';
export { deliveryEta } from './models/delivery-eta.js';
export { fraudDetector } from './models/fraud-detector.js';
export { BASELINE, DEMO_DRIFT, phaseAt, type DemoModel, type Phase } from './models/model.js';
export { NEW_PRODUCT, TICKET_CLASSES, ticketRouter } from './models/ticket-router.js';
export { hashSeed, Rng } from './random.js';
export { demoRules } from './rules.js';
export { DEMO_EMAIL, DEMO_VERSION, DEMO_WORKSPACE, seedDemo, type SeededModel, type SeedOptions, type SeedResult } from './seed.js';
export { startSimulator, type Simulator, type SimulatorOptions, type SimulatorStats } from './simulator.js';
export { DAY_MS, HISTORY_DAYS, HOUR_MS, storyAt, type Span, type Story } from './story.js';
