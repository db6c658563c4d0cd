/** Error thrown by the media toolkit when bytes on the wire or in a file are malformed. */
export class MediaFormatError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'MediaFormatError';
    this.code = code;
  }
}
