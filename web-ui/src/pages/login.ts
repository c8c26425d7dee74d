import { ApiError, post, type Me } from '../api.ts';
import { field, h } from '../dom.ts';

/** Sign-in in steps: password, TOTP code, forced password change, TOTP enrolment when the owner requires it. */
export function loginPage(initial: Me | undefined, done: (me: Me) => void): HTMLElement {
  const card = h('main', { class: 'login-card', id: 'main' });
  const wrap = h('div', { class: 'login' }, h('div', { class: 'login-brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '☎'), h('span', {}, 'Callbox')), card);

  const error = h('p', { class: 'form-error', role: 'alert' });
  const fail = (err: unknown) => {
    error.textContent = err instanceof ApiError ? [err.message, ...err.errors.map((e) => `${e.path}: ${e.message}`)].join(' — ') : 'The box did not answer; check the connection.';
  };
  const next = (me: Me) => {
    if (me.stage === 'ok') done(me);
    else step(me);
  };

  function step(me?: Me): void {
    error.textContent = '';
    if (me === undefined) {
      const user = h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true });
      const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
      card.replaceChildren(
        h('h1', {}, 'Sign in'),
        h('form', { onsubmit: (e: Event) => {
          e.preventDefault();
          post<Me>('/auth/login', { username: user.value, password: pass.value }).then(next, fail);
        } }, field('Username', user), field('Password', pass), error, h('button', { type: 'submit', class: 'primary' }, 'Sign in')),
      );
      user.focus();
    } else if (me.stage === 'totp') {
      const code = h('input', { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6, required: true });
      card.replaceChildren(
        h('h1', {}, 'Second factor'),
        h('p', {}, 'Enter the 6-digit code from your authenticator app.'),
        h('form', { onsubmit: (e: Event) => {
          e.preventDefault();
          post<Me>('/auth/totp', { code: code.value }).then(next, fail);
        } }, field('Code', code), error, h('button', { type: 'submit', class: 'primary' }, 'Continue')),
      );
      code.focus();
    } else if (me.stage === 'change-password') {
      const cur = h('input', { name: 'current_password', type: 'password', autocomplete: 'current-password', required: true });
      const pw1 = h('input', { name: 'new_password', type: 'password', autocomplete: 'new-password', required: true, minlength: 10 });
      const pw2 = h('input', { name: 'new_password_again', type: 'password', autocomplete: 'new-password', required: true, minlength: 10 });
      card.replaceChildren(
        h('h1', {}, 'Choose your password'),
        h('p', {}, `Welcome, ${me.user.name ?? me.user.username}. The password you signed in with was given to you; choose your own before you continue.`),
        h('form', { onsubmit: (e: Event) => {
          e.preventDefault();
          if (pw1.value !== pw2.value) {
            error.textContent = 'The two new passwords differ.';
            return;
          }
          post<Me>('/auth/password', { current_password: cur.value, new_password: pw1.value }).then(next, fail);
        } }, field('Current password', cur), field('New password', pw1, 'At least 10 characters; not your username.'), field('New password again', pw2), error, h('button', { type: 'submit', class: 'primary' }, 'Save password')),
      );
      cur.focus();
    } else {
      card.replaceChildren(h('h1', {}, 'Set up a second factor'), h('p', {}, 'The owner of this box requires administrators to sign in with an authenticator app (TOTP).'), totpEnrol((m) => next(m)));
    }
  }

  if (initial === undefined) step();
  else step(initial);
  return wrap;
}

/** Enrolment: shows the secret and otpauth URI to put in an authenticator app, then asks for a code. */
export function totpEnrol(done: (me: Me) => void): HTMLElement {
  const box = h('div', { class: 'totp' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const begin = h('button', { type: 'button', class: 'primary', onclick: () => {
    post<{ secret: string; uri: string }>('/auth/totp/setup').then(({ secret, uri }) => {
      const code = h('input', { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6, required: true });
      box.replaceChildren(
        h('p', {}, 'Add this key to your authenticator app (type it in, or paste the link on the phone):'),
        h('p', {}, h('code', { class: 'secret', 'data-testid': 'totp-secret' }, secret.replace(/(.{4})/g, '$1 ').trim())),
        h('p', {}, h('code', { class: 'uri' }, uri)),
        h('form', { onsubmit: (e: Event) => {
          e.preventDefault();
          post<Me>('/auth/totp/enable', { code: code.value }).then(done, (err: unknown) => {
            error.textContent = err instanceof ApiError ? err.message : 'failed';
          });
        } }, field('Code from the app', code), error, h('button', { type: 'submit', class: 'primary' }, 'Turn on')),
      );
      code.focus();
    }, (err: unknown) => {
      error.textContent = err instanceof ApiError ? err.message : 'failed';
    });
  } }, 'Start');
  box.append(begin, error);
  return box;
}
