/**
 * The languages a payment can be taken in (`language` of POST /v1/calls/{callId}/payments, default
 * TONEWALL_DEFAULT_LANGUAGE): BCP 47 tags, language and region. Each has a catalogue
 * (catalogue/<tag>.ts) with the texts spoken to the customer.
 */
export const LANGUAGES = [
  'en-GB',
  'en-US',
  'es-ES',
  'fr-FR',
  'de-DE',
  'it-IT',
  'pt-BR',
  'pl-PL',
  'nl-NL',
  'cy-GB',
] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'en-GB';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}
