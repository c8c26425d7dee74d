import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { exportSiteFile } from '../../config/site-export.ts';
import { siteJsonSchema } from '../../config/site-schema.ts';
import { getWebSettings, setWebSettings } from '../../config/repositories/web-settings.ts';
import type { GpioSnapshot } from '../../platform/gpio.ts';
import type { ComponentHealth } from '../../supervisor/component-health.ts';
import { buildInfo } from '../../version.ts';
import type { Api } from '../api.ts';
import { randomBytes } from 'node:crypto';
import { mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { UpdateError, type UpdateErrorCode } from '../../update/errors.ts';
import { ApiError } from '../http/errors.ts';
import { readJsonBody, saveBinaryBody } from '../http/body.ts';
import { checkBackup, makeBackup, restoreBackup } from '../system/backup.ts';
import { logBundle } from '../system/logs.ts';
import { certificateInfo, install, readInstalled, validatePair } from '../system/tls.ts';

export interface SystemHooks {
  health: ComponentHealth;
  leds?: () => GpioSnapshot;
  dataDir: string;
  /** Asks the platform to reboot; the API has already answered and logged the request. */
  reboot?: () => void;
  /** Turns SIP message tracing on or off in the SIP engine. */
  sipTrace?: (on: boolean) => void;
  /** Puts a new certificate into service without a restart (HTTPS only). */
  reloadTls?: (files: { cert: string; key: string }) => void;
  /** The diagnosis bundle (.tar.gz); by default the log files under the data dir and the journal. */
  logs?: () => Promise<Buffer>;
  /** Verifies a signed update bundle and installs it into the inactive slot (firmware/src/update). */
  update?: (file: string) => Promise<{ method: string; manifest: { version: string; commit: string } }>;
}

/** A refused bundle is the uploader's to fix (422); a busy installer is a conflict; the rest is the box's fault. */
const updateStatus = (code: UpdateErrorCode) => (code === 'busy' ? 409 : code === 'install-failed' || code === 'no-key' ? 500 : 422);

const download = (ctx: { set(k: string, v: string): void }, name: string) => ctx.set('Content-Disposition', `attachment; filename="${name}"`);
const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');

/** Version, health, backup and restore, logs, reboot, console security, diagnostics and the certificate. */
export function systemRoutes(api: Api, db: Database, hooks: SystemHooks): void {
  const settingsSchema = z.strictObject({ totp_required_for_admins: z.boolean() });
  const diagnosticsSchema = z.strictObject({ sip_trace: z.boolean() });

  api.add({
    method: 'get',
    path: '/system/version',
    summary: 'Firmware version and commit',
    tag: 'system',
    access: 'system.read',
    response: z.object({ version: z.string(), commit: z.string() }),
    handler: () => buildInfo(),
  });
  api.add({
    method: 'get',
    path: '/system/health',
    summary: "Each component's state and the front panel LEDs",
    tag: 'system',
    access: 'system.read',
    handler: () => ({ ...hooks.health.report(), leds: hooks.leds?.() ?? null }),
  });
  api.add({
    method: 'get',
    path: '/system/site-schema',
    summary: 'The JSON Schema of the site file',
    tag: 'system',
    access: 'system.read',
    handler: () => siteJsonSchema(),
  });
  api.add({
    method: 'get',
    path: '/system/config',
    summary: 'The configuration in force as a site file (YAML; contains secrets)',
    tag: 'system',
    access: 'config.export',
    produces: 'application/yaml',
    auditRead: 'config.export',
    handler: ({ ctx }) => {
      ctx.type = 'application/yaml';
      download(ctx, `callbox-site-${stamp()}.yaml`);
      return exportSiteFile(db);
    },
  });
  api.add({
    method: 'get',
    path: '/system/backup',
    summary: 'Download a backup: configuration, users, keys, and with ?cdrs=true the call records',
    tag: 'system',
    access: 'system.admin',
    query: z.strictObject({ cdrs: z.enum(['true', 'false']).default('false') }),
    auditRead: 'system.backup',
    handler: (call) => {
      download(call.ctx, `callbox-backup-${stamp()}.json`);
      call.auditDetail = { cdrs: call.query.cdrs === 'true' };
      const { version, commit } = buildInfo();
      return makeBackup(db, { firmware: `${version} (${commit})`, tls: readInstalled(hooks.dataDir), withCdrs: call.query.cdrs === 'true' });
    },
  });
  api.add({
    method: 'post',
    path: '/system/restore',
    summary: 'Restore a backup; it is validated completely and nothing changes unless all of it is valid',
    tag: 'system',
    access: 'system.admin',
    action: 'system.restore-request',
    handler: async (call) => {
      const backup = checkBackup(await readJsonBody(call.ctx, 256 * 1024 * 1024));
      call.auditDetail = { created_at: backup.created_at };
      const revision = restoreBackup(db, backup, call.caller.user.username);
      if (backup.keys.tls !== null) {
        install(hooks.dataDir, backup.keys.tls);
        hooks.reloadTls?.(backup.keys.tls);
      }
      return { revision };
    },
  });
  api.add({
    method: 'post',
    path: '/system/update',
    summary: 'Upload a signed firmware update (application/octet-stream); it is verified completely before anything is written',
    tag: 'system',
    access: 'system.admin',
    action: 'system.update',
    handler: async (call) => {
      if (hooks.update === undefined) throw new ApiError(501, 'not_available', 'updates are not available on this box');
      const dir = path.join(hooks.dataDir, 'update');
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, `upload-${randomBytes(6).toString('hex')}.cbu`);
      try {
        const bytes = await saveBinaryBody(call.ctx, file, 2 * 1024 * 1024 * 1024);
        const result = await hooks.update(file);
        call.auditDetail = { bytes, version: result.manifest.version, commit: result.manifest.commit, method: result.method };
        return { installed: result.manifest.version, commit: result.manifest.commit, method: result.method, reboot_to_activate: true };
      } catch (err) {
        if (err instanceof UpdateError) throw new ApiError(updateStatus(err.code), err.code, err.message);
        throw err;
      } finally {
        await unlink(file).catch(() => undefined);
      }
    },
  });
  api.add({
    method: 'get',
    path: '/system/logs',
    summary: "Download the services' recent logs and the SIP trace (.tar.gz)",
    tag: 'system',
    access: 'system.admin',
    produces: 'application/gzip',
    auditRead: 'system.logs',
    handler: async ({ ctx }) => {
      ctx.type = 'application/gzip';
      download(ctx, `callbox-logs-${stamp()}.tar.gz`);
      return (hooks.logs ?? (() => logBundle(hooks.dataDir)))();
    },
  });
  api.add({
    method: 'post',
    path: '/system/reboot',
    summary: 'Reboot the appliance (logged, then done after the answer is sent)',
    tag: 'system',
    access: 'system.admin',
    action: 'system.reboot',
    handler: ({ ctx }) => {
      ctx.status = 202;
      ctx.res.once('finish', () => hooks.reboot?.());
      return { rebooting: hooks.reboot !== undefined };
    },
  });
  api.add({
    method: 'get',
    path: '/system/settings',
    summary: 'Console security settings',
    tag: 'system',
    access: 'system.admin',
    response: settingsSchema,
    handler: () => ({ totp_required_for_admins: getWebSettings(db).totpRequiredForAdmins }),
  });
  api.add({
    method: 'put',
    path: '/system/settings',
    summary: 'Change console security settings (TOTP required for administrators)',
    tag: 'system',
    access: 'system.admin',
    body: settingsSchema,
    response: settingsSchema,
    action: 'system.settings',
    handler: ({ body }) => ({ totp_required_for_admins: setWebSettings(db, { totpRequiredForAdmins: body.totp_required_for_admins }).totpRequiredForAdmins }),
  });
  api.add({
    method: 'get',
    path: '/system/diagnostics',
    summary: 'Diagnostic switches',
    tag: 'system',
    access: 'system.diagnostics',
    response: diagnosticsSchema,
    handler: () => ({ sip_trace: getWebSettings(db).sipTrace }),
  });
  api.add({
    method: 'put',
    path: '/system/diagnostics',
    summary: 'Turn SIP message tracing on or off',
    tag: 'system',
    access: 'system.diagnostics',
    body: diagnosticsSchema,
    response: diagnosticsSchema,
    action: 'system.diagnostics',
    handler: ({ body }) => {
      const s = setWebSettings(db, { sipTrace: body.sip_trace });
      hooks.sipTrace?.(s.sipTrace);
      return { sip_trace: s.sipTrace };
    },
  });
  api.add({
    method: 'get',
    path: '/system/certificate',
    summary: 'The HTTPS certificate in use',
    tag: 'system',
    access: 'system.admin',
    handler: () => {
      const files = readInstalled(hooks.dataDir);
      return files === undefined ? null : certificateInfo(files.cert);
    },
  });
  api.add({
    method: 'put',
    path: '/system/certificate',
    summary: "Install the owner's own certificate and key (PEM); checked, then used without a restart",
    tag: 'system',
    access: 'system.admin',
    body: z.strictObject({ cert: z.string().min(1).max(64 * 1024), key: z.string().min(1).max(64 * 1024) }),
    action: 'system.certificate',
    handler: (call) => {
      const info = validatePair(call.body);
      install(hooks.dataDir, call.body);
      hooks.reloadTls?.(call.body);
      call.auditDetail = { subject: info.subject, fingerprint_sha256: info.fingerprint_sha256 };
      return info;
    },
  });
}
