// A short two-tone chime for the console when a chat is assigned to her, synthesised with Web Audio (no
// file to fetch, nothing for the CSP to allow). Console only: the resident page must never make a sound.

const TONES_HZ = [660, 880] as const;
const TONE_SECONDS = 0.12;
const VOLUME = 0.15;

export class Chime {
  #context: AudioContext | null = null;

  /** Must run inside her click: browsers only let audio start after a user gesture. */
  enable(): void {
    if (typeof AudioContext === 'undefined') return;
    this.#context ??= new AudioContext();
    void this.#context.resume().catch(() => undefined);
  }

  disable(): void {
    const context = this.#context;
    this.#context = null;
    void context?.close().catch(() => undefined);
  }

  play(): void {
    const context = this.#context;
    if (!context || context.state === 'closed') return;
    const start = context.currentTime;
    TONES_HZ.forEach((hz, i) => {
      const osc = context.createOscillator();
      const gain = context.createGain();
      const at = start + i * TONE_SECONDS;
      osc.frequency.value = hz;
      // A quick fade out, so the tone does not click when it stops.
      gain.gain.setValueAtTime(VOLUME, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + TONE_SECONDS);
      osc.connect(gain).connect(context.destination);
      osc.start(at);
      osc.stop(at + TONE_SECONDS);
    });
  }
}
