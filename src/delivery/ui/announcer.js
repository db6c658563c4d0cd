/**
 * Speaks progress through the ARIA live region. Digit counts change fast while the customer keys,
 * so they are announced at most once a second (the latest wins); everything else at once.
 */
export class Announcer {
  /** @param {HTMLElement} region */
  constructor(region) {
    this.region = region;
    this.pending = '';
    this.timer = 0;
  }

  /** @param {string} text */
  now(text) {
    clearTimeout(this.timer);
    this.timer = 0;
    this.pending = '';
    // Clearing first makes screen readers repeat an identical message.
    this.region.textContent = '';
    requestAnimationFrame(() => {
      this.region.textContent = text;
    });
  }

  /** @param {string} text */
  soon(text) {
    this.pending = text;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = 0;
      if (this.pending) this.now(this.pending);
    }, 1000);
  }
}
