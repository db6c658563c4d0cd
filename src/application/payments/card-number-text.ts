import { PanFinder } from '../../domain/audit/audit-pan-finder.js';
import { GatewayError } from '../../errors.js';

/** True when free text holds a card number (Luhn-valid, a brand's prefix and length; see PanFinder). */
export function holdsCardNumber(text: string): boolean {
  const finder = new PanFinder();
  finder.push(new TextEncoder().encode(text));
  return finder.end().length > 0;
}

/**
 * Refuses free-text fields that hold a card number (GW_ERR_INVALID_BODY). The message names the
 * field, never its text: the text is what must not travel.
 */
export function refuseCardNumbers(fields: Readonly<Record<string, string | undefined>>): void {
  for (const [name, text] of Object.entries(fields)) {
    if (text !== undefined && holdsCardNumber(text)) {
      throw new GatewayError('GW_ERR_INVALID_BODY', `"${name}" must not contain a card number`);
    }
  }
}
