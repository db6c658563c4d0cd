/** Words the page uses for the gateway's values (DESIGN.md "Public contract"). */

/**
 * The desk's words come from the message catalogue (src/domain/language/, one file per language, with
 * the customer prompts): `loadTexts()` fetches the agent's language from /ui/texts/<language>.json and
 * fills these tables before the page starts. The agent's language is their own choice (the menu in
 * the top bar, kept in this browser), else the browser's, else en-GB; the customer's is the payment's.
 */
export const FIELD_NAMES = {};
export const FIELD_HINTS = {};
export const STATUSES = {};
/** Why a field was rejected: said calmly, with what to tell the customer. */
export const PROBLEMS = {};
export const OUTCOMES = {};
export const ROLE_NAMES = {};
/** While the amount is read back to the customer (a payment created with `readBack`). */
export const READ_BACK = {};

const LANGUAGE_KEY = 'tonewall.deskLanguage';

/** The language the desk is shown in: the agent's choice, else the browser's, else en-GB. */
function deskLanguage(available) {
  const stored = globalThis.localStorage?.getItem(LANGUAGE_KEY);
  if (available.includes(stored)) return stored;
  for (const preferred of globalThis.navigator?.languages ?? []) {
    const exact = available.find((tag) => tag.toLowerCase() === preferred.toLowerCase());
    if (exact) return exact;
    const sameLanguage = available.find((tag) => tag.split('-')[0] === preferred.split('-')[0]);
    if (sameLanguage) return sameLanguage;
  }
  return 'en-GB';
}

/** Fills the tables in the agent's language; returns the languages and the one chosen. */
export async function loadTexts() {
  const languages = await (await fetch('/ui/texts/languages.json')).json();
  const language = deskLanguage(languages.map((entry) => entry.language));
  const desk = await (await fetch(`/ui/texts/${language}.json`)).json();
  Object.assign(FIELD_NAMES, desk.fieldNames);
  Object.assign(FIELD_HINTS, desk.fieldHints);
  Object.assign(STATUSES, desk.statuses);
  Object.assign(PROBLEMS, desk.problems);
  Object.assign(OUTCOMES, desk.outcomes);
  Object.assign(ROLE_NAMES, desk.roleNames);
  Object.assign(READ_BACK, desk.readBack);
  Object.assign(ORDER_TEXTS, desk.orders);
  document.documentElement.lang = desk.language;
  return { languages, language };
}

/** The agent picks the desk's language: kept in this browser, the page loads again in it. */
export function chooseLanguage(language) {
  globalThis.localStorage?.setItem(LANGUAGE_KEY, language);
  globalThis.location?.reload();
}

/** The brands' own names (src/domain/card/card-brand-data.ts; test/unit/desk-texts.test.ts compares). */
export const BRANDS = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  'diners-club': 'Diners Club',
  discover: 'Discover',
  troy: 'Troy',
  jcb: 'JCB',
  unionpay: 'UnionPay',
  naranja: 'Naranja',
  verve: 'Verve',
  maestro: 'Maestro',
  elo: 'Elo',
  mir: 'Mir',
  hiper: 'Hiper',
  hipercard: 'Hipercard',
};

/** `****` → dots; card numbers in groups of four (the last four, once valid, stay as digits). */
export function dotsOf(field, masked) {
  const dots = masked.replaceAll('*', '•');
  if (field !== 'payment-card-number') return dots;
  return dots.replace(/(.{4})(?=.)/g, '$1 ');
}

export function timeOf(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function money(amount, currency) {
  const number = Number(amount);
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(number);
  } catch {
    return `${amount} ${currency}`;
  }
}

/**
 * The call's orders: an integration (the CRM) set their terms; the agent takes a payment from one.
 * `takeLabel` and `arrived` are catalogue templates with {what} and {amount}.
 */
export const ORDER_TEXTS = {};

export function orderText(template, what, amount) {
  return template.replace('{what}', what).replace('{amount}', amount);
}
