import { AgentDesk } from './agent-desk.js';
import { Announcer } from './announcer.js';
import { Api, ApiError } from './api.js';
import { byId, say, show } from './dom.js';
import { SupervisorBoard } from './supervisor-board.js';
import { chooseLanguage, loadTexts, ROLE_NAMES } from './texts.js';

/**
 * The agent desktop's entry point. Asks who is signed in, then shows the views the roles allow:
 * agent desk, supervisor board, audit download. Everything lives in objects made here; no globals.
 */
function start() {
  const announcer = new Announcer(byId('announcer'));
  const views = ['sign-in-view', 'agent-view', 'supervisor-view', 'auditor-view'].map(byId);
  let parts = [];
  const api = new Api({ onSignedOut: () => signedOut('Your session has ended. Please sign in again.') });

  function showOnly(...ids) {
    for (const view of views) show(view, ids.includes(view.id));
    show(byId('loading'), false);
  }

  function signedOut(message) {
    for (const part of parts) part.stop();
    parts = [];
    api.csrfToken = null;
    show(byId('who'), false);
    show(byId('mfa-off'), false);
    showOnly('sign-in-view');
    say(byId('sign-in-error'), message ?? '');
    byId('username').focus();
  }

  async function signedIn(session) {
    api.csrfToken = session.csrfToken;
    show(byId('mfa-off'), session.mfa === 'off');
    const user = session.user;
    byId('who-name').textContent = user.displayName ?? user.name;
    byId('who-role').textContent =
      (user.roles ?? []).map((role) => ROLE_NAMES[role] ?? role).join(' · ') || 'Integration';
    show(byId('who'), true);
    say(byId('page-error'), '');
    const roles = new Set(user.roles ?? []);
    const ids = [];
    parts = [];
    if (roles.has('agent')) {
      ids.push('agent-view');
      parts.push(new AgentDesk({ api, announcer, limits: session.paymentLimits }));
    }
    if (roles.has('supervisor') || roles.has('admin')) {
      ids.push('supervisor-view');
      parts.push(new SupervisorBoard({ api }));
    }
    if (roles.has('auditor') || roles.has('admin')) ids.push('auditor-view');
    showOnly(...ids);
    if (ids.length === 0) say(byId('page-error'), 'Your account has no role that uses this page.');
    await Promise.all(parts.map((part) => part.start()));
  }

  /** Shows the code field (and the key to enrol, when the gateway offered one). */
  function askForCode(enrolment) {
    show(byId('code-field'), true);
    if (enrolment) {
      show(byId('enrol'), true);
      byId('enrol-secret').textContent = enrolment.secret.replace(/(.{4})/g, '$1 ').trim();
      byId('enrol-link').href = enrolment.uri;
    }
    byId('code').value = '';
    byId('code').focus();
  }

  function resetSignInForm() {
    byId('password').value = '';
    byId('code').value = '';
    byId('enrol-secret').textContent = '';
    byId('enrol-link').href = 'otpauth://totp/';
    show(byId('code-field'), false);
    show(byId('enrol'), false);
  }

  const SIGN_IN_MESSAGES = {
    GW_ERR_MFA_REQUIRED: 'Enter the 6-digit code from your authenticator app.',
    GW_ERR_MFA_FAILED: 'That code is wrong or was used already. Enter the newest code your app shows.',
    GW_ERR_RATE_LIMITED: 'Too many attempts. Wait a few minutes, then try again.',
    GW_ERR_UNAUTHORIZED: 'That user name and password do not match.',
  };

  byId('sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const username = byId('username');
    const password = byId('password');
    const code = byId('code');
    const error = byId('sign-in-error');
    if (!username.value || !password.value) {
      say(error, 'Enter your user name and password.');
      (username.value ? password : username).focus();
      return;
    }
    const submit = event.submitter ?? byId('sign-in-form').querySelector('button');
    submit.disabled = true;
    const credentials = { username: username.value.trim(), password: password.value };
    try {
      const session = await api.post('/v1/session', {
        ...credentials,
        ...(code.value ? { code: code.value.trim() } : {}),
      });
      resetSignInForm();
      say(error, '');
      announcer.now(`Signed in as ${session.user.displayName ?? session.user.name}.`);
      await signedIn(session);
      byId('main').focus();
    } catch (failure) {
      const why = failure instanceof ApiError ? failure.code : undefined;
      if (why === 'GW_ERR_MFA_ENROL') {
        try {
          askForCode(await api.post('/v1/session/authenticator', credentials));
          say(error, 'Set up your authenticator app to finish signing in.');
        } catch {
          resetSignInForm();
          say(error, 'Sign-in is not available right now.');
        }
      } else if (why === 'GW_ERR_MFA_REQUIRED' || why === 'GW_ERR_MFA_FAILED') {
        askForCode();
        say(error, SIGN_IN_MESSAGES[why]);
      } else {
        resetSignInForm();
        say(
          error,
          why === 'GW_ERR_ACCOUNT_LOCKED'
            ? failure.message
            : (SIGN_IN_MESSAGES[why] ?? 'Sign-in is not available right now.'),
        );
        password.focus();
      }
    } finally {
      submit.disabled = false;
    }
  });

  byId('sign-out').addEventListener('click', async () => {
    try {
      await api.request('DELETE', '/v1/session');
    } finally {
      signedOut('You have signed out.');
      announcer.now('Signed out.');
    }
  });

  api.get('/v1/session').then(
    (session) => signedIn(session),
    (error) => {
      if (error instanceof ApiError && error.status === 401) signedOut();
      else say(byId('page-error'), 'The gateway is not reachable. This page will work again once it is.');
      show(byId('loading'), false);
    },
  );
}

/** The top bar's language menu: the agent's own choice for the desk (the customer's is the payment's). */
function languageMenu({ languages, language }) {
  const menu = byId('desk-language');
  for (const entry of languages) {
    const option = document.createElement('option');
    option.value = entry.language;
    option.textContent = entry.name;
    option.selected = entry.language === language;
    menu.append(option);
  }
  menu.addEventListener('change', () => chooseLanguage(menu.value));
}

loadTexts().then(
  (loaded) => {
    languageMenu(loaded);
    start();
  },
  () => start(),
);
