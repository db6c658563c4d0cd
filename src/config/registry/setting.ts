import { z } from 'zod';

/**
 * One TONEWALL_* setting, declared once: its type, default, whether it is a secret, who reads it and
 * the text the README shows. src/config/settings-registry.ts gathers every declaration; the gateway's
 * strict schema, the README's tables (scripts/settings-doc.ts) and `./scripts/tonewall config` come
 * from there.
 */

/** Who reads a setting: the gateway, scripts/lib/stack.sh (Kamailio, rtpengine), the other scripts, the sandbox processor. */
export type Reader = 'gateway' | 'stack' | 'scripts' | 'sandbox' | 'signer';

export interface Setting<S extends z.ZodType = z.ZodType> {
  /** Parses the environment's string (the default applied, when there is one). */
  readonly schema: S;
  /** The default as the environment spells it; parsed like a value. Undefined: none, or derived. */
  readonly default: string | undefined;
  /** What the README and `tonewall config` show when there is no fixed default (derived, made by a script). */
  readonly defaultText: string | undefined;
  /** A secret: `tonewall config` prints a mask, never the value. */
  readonly secret: boolean;
  readonly readBy: readonly Reader[];
  /** The README's text (Markdown, one line). */
  readonly doc: string;
}

interface Declaration<T extends z.ZodType> {
  readonly type: T;
  readonly readBy: readonly Reader[];
  readonly doc: string;
  readonly secret?: boolean;
}

/** A setting with a fixed default, given as the environment would spell it (`'8080'`). */
export function setting<T extends z.ZodType>(
  declaration: Declaration<T> & { readonly default: string & z.input<T> },
): Setting<z.ZodPrefault<T>>;
/** A setting without a fixed default: unset, or derived (then `defaultText` says how). */
export function setting<T extends z.ZodType>(
  declaration: Declaration<T> & { readonly defaultText?: string },
): Setting<z.ZodOptional<T>>;
export function setting<T extends z.ZodType>(
  declaration: Declaration<T> & { readonly default?: string; readonly defaultText?: string },
): Setting {
  const { type, default: fixed, defaultText, secret = false, readBy, doc } = declaration;
  return {
    schema: fixed === undefined ? type.optional() : type.prefault(fixed as z.input<T>),
    default: fixed,
    defaultText,
    secret,
    readBy,
    doc,
  };
}

/** The zod object shape of a group of settings, keyed by name. */
export type ShapeOf<R extends Readonly<Record<string, Setting>>> = { [K in keyof R]: R[K]['schema'] };

/** The parsed values of a group of settings. */
export type ValuesOf<R extends Readonly<Record<string, Setting>>> = z.infer<z.ZodObject<ShapeOf<R>>>;

export function shapeOf<R extends Readonly<Record<string, Setting>>>(settings: R): ShapeOf<R> {
  return Object.fromEntries(
    Object.entries(settings).map(([name, declared]) => [name, declared.schema]),
  ) as ShapeOf<R>;
}

// Value types shared by the declarations.
export const port = z.coerce.number().int().min(1).max(65_535);
/** A port where 0 asks the system for a free one (tests). */
export const portOrAny = z.coerce.number().int().min(0).max(65_535);
export const host = z.string().min(1).max(255);
export const path = z.string().min(1).max(4096);
export const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
export const onOff = z.enum(['on', 'off']);
export const hostPort = z.string().regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, 'must be HOST:PORT');
export const commaList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  )
  .pipe(z.array(z.string().min(1)).min(1));
/** Text that scripts/lib/stack.sh writes into kamailio.cfg or rtpengine's command line. */
export const stackText = z
  .string()
  .max(1024)
  .regex(/^[^"\\\n]*$/, 'must not contain quotes, backslashes or newlines');
