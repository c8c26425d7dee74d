import { ApiError, get, post, put, type Me } from '../api.ts';
import { field, h, notice, table } from '../dom.ts';
import type { Health } from '../live-types.ts';
import { totpEnrol } from './login.ts';

const errText = (err: unknown) => (err instanceof ApiError ? [err.message, ...err.errors.slice(0, 8).map((e) => `${e.path}: ${e.message}`)].join(' — ') : String(err));

/** Firmware version, health, backup and restore, logs, diagnostics, console security, certificate, reboot. */
export function systemPage(main: HTMLElement, me: Me): void {
  const admin = me.user.role === 'admin';
  const diag = me.user.role === 'admin' || me.user.role === 'installer';
  const info = h('div', { class: 'card' });
  main.append(h('div', { class: 'cards' }, info));
  void Promise.all([get<{ version: string; commit: string }>('/system/version'), get<Health>('/system/health')]).then(([v, hl]) => {
    info.replaceChildren(h('h2', {}, 'Firmware'), h('p', {}, h('strong', {}, `Callbox ${v.version}`), ` (${v.commit})`), table(['Component', 'State', 'Detail'], Object.entries(hl.components).map(([n, c]) => [n, h('span', { class: `badge state-${c.state}` }, c.state), c.detail])));
  });

  const cards = main.querySelector('.cards') as HTMLElement;
  if (admin) {
    const withCdrs = h('input', { type: 'checkbox', id: 'backup-cdrs' });
    const backupLink = h('a', { class: 'button primary', href: '/api/v1/system/backup', download: '' }, 'Download backup');
    withCdrs.addEventListener('change', () => (backupLink.href = `/api/v1/system/backup${withCdrs.checked ? '?cdrs=true' : ''}`));
    const file = h('input', { type: 'file', accept: '.json,application/json' });
    cards.append(
      h('div', { class: 'card' },
        h('h2', {}, 'Backup and restore'),
        h('p', {}, 'A backup holds the configuration, users, keys and certificate; keep it as safe as the box.'),
        h('p', {}, h('label', { class: 'check' }, withCdrs, ' include call records')),
        backupLink,
        h('form', { onsubmit: async (e: Event) => {
          e.preventDefault();
          const f = file.files?.[0];
          if (!f) return notice('error', 'Choose a backup file first.');
          if (!confirm('Restore this backup? The current configuration will be replaced.')) return;
          try {
            const r = await post<{ revision: number }>('/system/restore', JSON.parse(await f.text()));
            notice('ok', `Backup restored (configuration revision ${r.revision})`);
          } catch (err) {
            notice('error', `Nothing was changed: ${errText(err)}`);
          }
        } }, field('Backup file', file), h('button', { type: 'submit' }, 'Restore')),
      ),
      updateCard(),
      h('div', { class: 'card' }, h('h2', {}, 'Logs and configuration'), h('p', {}, h('a', { class: 'button', href: '/api/v1/system/logs', download: '' }, 'Download logs')), h('p', {}, h('a', { class: 'button', href: '/api/v1/system/config', download: '' }, 'Export site file (YAML)'))),
    );
  }
  if (diag) {
    // Disabled until the box says whether the trace is on: a click before that answer would be undone by it.
    const trace = h('input', { type: 'checkbox', id: 'sip-trace', disabled: true });
    void get<{ sip_trace: boolean }>('/system/diagnostics').then((d) => {
      trace.checked = d.sip_trace;
      trace.disabled = false;
    });
    trace.addEventListener('change', () => void put('/system/diagnostics', { sip_trace: trace.checked }).then(() => notice('ok', `SIP trace ${trace.checked ? 'on' : 'off'}`), (err: unknown) => notice('error', errText(err))));
    cards.append(h('div', { class: 'card' }, h('h2', {}, 'Diagnostics'), h('label', { class: 'switch' }, trace, ' SIP message trace (goes into the log download)')));
  }
  if (admin) {
    const totpReq = h('input', { type: 'checkbox', id: 'totp-required' });
    void get<{ totp_required_for_admins: boolean }>('/system/settings').then((s) => (totpReq.checked = s.totp_required_for_admins));
    totpReq.addEventListener('change', () => void put('/system/settings', { totp_required_for_admins: totpReq.checked }).then(() => notice('ok', 'Saved'), (err: unknown) => notice('error', errText(err))));
    const certInfo = h('div');
    void get<Record<string, string> | null>('/system/certificate').then((c) => certInfo.replaceChildren(c ? table(['', ''], Object.entries(c).map(([k, v]) => [k.replace(/_/g, ' '), String(v)])) : h('p', { class: 'muted' }, 'Plain HTTP (development on loopback): no certificate in use.')));
    const cert = h('textarea', { rows: 4, class: 'json', placeholder: '-----BEGIN CERTIFICATE-----' });
    const key = h('textarea', { rows: 4, class: 'json', placeholder: '-----BEGIN PRIVATE KEY-----' });
    cards.append(
      h('div', { class: 'card' }, h('h2', {}, 'Console security'), h('label', { class: 'switch' }, totpReq, ' Administrators must use a second factor (TOTP)')),
      h('div', { class: 'card wide' }, h('h2', {}, 'HTTPS certificate'), certInfo,
        h('form', { onsubmit: (e: Event) => {
          e.preventDefault();
          put('/system/certificate', { cert: cert.value, key: key.value }).then(() => notice('ok', 'Certificate installed'), (err: unknown) => notice('error', errText(err)));
        } }, field('Certificate (PEM, with chain)', cert), field('Private key (PEM)', key), h('button', { type: 'submit' }, 'Install certificate'))),
      h('div', { class: 'card' }, h('h2', {}, 'Reboot'), h('button', { type: 'button', class: 'danger', onclick: () => {
        if (confirm('Reboot the appliance now? Calls in progress are dropped.')) void post('/system/reboot').then(() => notice('info', 'Reboot requested'), (err: unknown) => notice('error', errText(err)));
      } }, 'Reboot appliance')),
    );
  }
  // Every user: own password and second factor.
  const cur = h('input', { type: 'password', autocomplete: 'current-password' });
  const next = h('input', { type: 'password', autocomplete: 'new-password' });
  const totpBox = h('div');
  if (me.totp_enabled) {
    const pw = h('input', { type: 'password', autocomplete: 'current-password' });
    totpBox.append(h('p', {}, 'Second factor: on.'), h('form', { onsubmit: (e: Event) => {
      e.preventDefault();
      post('/auth/totp/disable', { password: pw.value }).then(() => notice('ok', 'Second factor turned off'), (err: unknown) => notice('error', errText(err)));
    } }, field('Password to turn it off', pw), h('button', { type: 'submit' }, 'Turn off')));
  } else totpBox.append(h('p', {}, 'Second factor: off.'), totpEnrol(() => notice('ok', 'Second factor turned on')));
  cards.append(h('div', { class: 'card' }, h('h2', {}, 'My account'),
    h('form', { onsubmit: (e: Event) => {
      e.preventDefault();
      post('/auth/password', { current_password: cur.value, new_password: next.value }).then(() => notice('ok', 'Password changed'), (err: unknown) => notice('error', errText(err)));
    } }, field('Current password', cur), field('New password', next), h('button', { type: 'submit' }, 'Change password')),
    totpBox));
}

/** Firmware update: a signed bundle, verified completely by the box before anything is written. */
function updateCard(): HTMLElement {
  const file = h('input', { type: 'file', accept: '.cbu,application/octet-stream' });
  return h('div', { class: 'card' },
    h('h2', {}, 'Firmware update'),
    h('p', {}, 'Upload a signed update (.cbu). Its signature, contents, board and architecture are checked first; a refused file changes nothing. Reboot afterwards to start the new version.'),
    h('form', { onsubmit: async (e: Event) => {
      e.preventDefault();
      const f = file.files?.[0];
      if (!f) return notice('error', 'Choose an update file first.');
      try {
        const r = await post<{ installed: string; commit: string }>('/system/update', f);
        notice('ok', `Update ${r.installed} (${r.commit}) installed; reboot to start it.`);
      } catch (err) {
        notice('error', errText(err));
      }
    } }, field('Update file', file), h('button', { type: 'submit' }, 'Upload and install')),
  );
}
