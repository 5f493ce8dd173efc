import { Inject, Injectable } from '@nestjs/common';
import { type AlertListQuery, type ChannelInput, type ChannelUpdate, type SilenceCreate } from '@vigil/contracts';
import {
  acknowledgeAlert,
  createAlertRule,
  createChannel,
  createSilence,
  createTestDelivery,
  deleteAlertRule,
  deleteChannel,
  DEVELOPMENT_SECRET_KEY,
  expireSilence,
  getAlertRule,
  getChannel,
  getNotificationPolicy,
  listAlertRules,
  listAlerts,
  listChannels,
  listDeliveries,
  listSilences,
  SecretBox,
  setNotificationPolicy,
  updateAlertRule,
  getProject,
  updateChannel,
  type Actor,
  type Db,
} from '@vigil/db';
import { backtestRule, type BacktestInput } from '@vigil/services';
import type { ApiEnv } from '../../env.js';
import { DB, ENV } from '../../infra/tokens.js';
import type { Principal } from '../auth/principal.js';

/**
 * Alerting over REST for a project's API key. A key acts for the team that owns its project:
 * it sees and manages that team's rules, channels, silences and alerts, nothing else.
 */
@Injectable()
export class AlertingService {
  private readonly box: SecretBox;

  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(ENV) private readonly env: ApiEnv,
  ) {
    this.box = new SecretBox(env.VIGIL_SECRET_KEY ?? DEVELOPMENT_SECRET_KEY);
  }

  private async scope(p: Principal) {
    const t = this.db.forTenant(p.organizationId);
    const project = await getProject(t, p.projectId);
    const actor: Actor = { organizationId: p.organizationId, apiKeyId: p.apiKeyId };
    return { t, teamId: project.teamId, teams: [project.teamId], actor };
  }

  async alerts(p: Principal, q: AlertListQuery) {
    const s = await this.scope(p);
    return { alerts: await listAlerts(s.t, s.teams, q) };
  }

  async acknowledge(p: Principal, id: string) {
    const s = await this.scope(p);
    await acknowledgeAlert(s.t, s.actor, s.teams, id);
    return { acknowledged: true };
  }

  async rules(p: Principal) {
    const s = await this.scope(p);
    return { rules: await listAlertRules(s.t, s.teams) };
  }

  async rule(p: Principal, id: string) {
    const s = await this.scope(p);
    return getAlertRule(s.t, s.teams, id);
  }

  async createRule(p: Principal, body: unknown) {
    const s = await this.scope(p);
    return createAlertRule(s.t, s.actor, s.teamId, body);
  }

  async updateRule(p: Principal, id: string, body: unknown) {
    const s = await this.scope(p);
    return updateAlertRule(s.t, s.actor, s.teams, id, body);
  }

  async deleteRule(p: Principal, id: string) {
    const s = await this.scope(p);
    await deleteAlertRule(s.t, s.actor, s.teams, id);
    return { deleted: true };
  }

  /** How often a draft rule would have fired over the last `days` days (the same use case as the web app's preview). */
  async backtest(p: Principal, body: BacktestInput) {
    const s = await this.scope(p);
    return backtestRule(this.db, { organizationId: p.organizationId, teamId: s.teamId }, body, { graceMs: this.env.WINDOW_GRACE_MS });
  }

  async channels(p: Principal) {
    const s = await this.scope(p);
    return { channels: await listChannels(s.t, s.teams) };
  }

  async createChannel(p: Principal, input: ChannelInput) {
    const s = await this.scope(p);
    return createChannel(s.t, this.box, s.actor, s.teamId, input, this.env.VIGIL_NOTIFICATION_ALLOW_HOSTS);
  }

  async updateChannel(p: Principal, id: string, input: ChannelUpdate) {
    const s = await this.scope(p);
    return updateChannel(s.t, s.actor, s.teams, id, input);
  }

  async deleteChannel(p: Principal, id: string) {
    const s = await this.scope(p);
    await deleteChannel(s.t, s.actor, s.teams, id);
    return { deleted: true };
  }

  async testChannel(p: Principal, id: string) {
    const s = await this.scope(p);
    return createTestDelivery(s.t, s.actor, s.teams, id);
  }

  async deliveries(p: Principal, channelId: string) {
    const s = await this.scope(p);
    await getChannel(s.t, s.teams, channelId);
    return { deliveries: await listDeliveries(s.t, s.teams, { channelId }) };
  }

  async silences(p: Principal, includeExpired: boolean) {
    const s = await this.scope(p);
    return { silences: await listSilences(s.t, s.teams, { includeExpired }) };
  }

  async createSilence(p: Principal, input: SilenceCreate) {
    const s = await this.scope(p);
    return createSilence(s.t, s.actor, s.teamId, input);
  }

  async expireSilence(p: Principal, id: string) {
    const s = await this.scope(p);
    return expireSilence(s.t, s.actor, s.teams, id);
  }

  async policy(p: Principal) {
    const s = await this.scope(p);
    return getNotificationPolicy(s.t, s.teamId);
  }

  async setPolicy(p: Principal, body: unknown) {
    const s = await this.scope(p);
    return setNotificationPolicy(s.t, s.actor, s.teamId, body);
  }
}
