// The console's sounds, synthesised with Web Audio (no file to fetch, nothing for the CSP to allow): a short
// two-tone chime when a chat is assigned to her (off unless she turns it on), and a distinct, insistent alarm
// when a resident in immediate danger enters her line (on unless she mutes it). Console only: the resident
// page must never make a sound.

interface Tone {
  hz: number;
  at: number;
  seconds: number;
  volume: number;
  type: OscillatorType;
}

const CHIME: readonly Tone[] = [
  { hz: 660, at: 0, seconds: 0.12, volume: 0.15, type: 'sine' },
  { hz: 880, at: 0.12, seconds: 0.12, volume: 0.15, type: 'sine' },
];

/** Three high-low pairs of a harsher wave, about 1.4 s: unlike the chime, it is meant to interrupt her. */
const ALARM: readonly Tone[] = [0, 1, 2].flatMap((i) => [
  { hz: 988, at: i * 0.48, seconds: 0.18, volume: 0.12, type: 'square' as const },
  { hz: 740, at: i * 0.48 + 0.2, seconds: 0.18, volume: 0.12, type: 'square' as const },
]);

export class Chime {
  #context: AudioContext | null = null;
  #chimeOn = false;

  /** Must run inside her click: browsers only let audio start after a user gesture. */
  enable(): void {
    this.#chimeOn = true;
    this.#ensure();
  }

  /** Turns the assignment chime off; the danger alarm has its own mute (see DangerAlarm). */
  disable(): void {
    this.#chimeOn = false;
  }

  play(): void {
    if (!this.#chimeOn) return;
    this.#schedule(CHIME);
  }

  /**
   * Plays the danger alarm; true when it was scheduled. She has clicked on the page by then (signing in), so
   * Chromium and Firefox let a context created now start ("sticky activation"); Safari may still hold it
   * until her next click, which is why the alarm is also shown and put in the tab title.
   */
  alarm(): boolean {
    return this.#schedule(ALARM);
  }

  /** Sign-out: release the audio device. */
  close(): void {
    this.#chimeOn = false;
    const context = this.#context;
    this.#context = null;
    void context?.close().catch(() => undefined);
  }

  #ensure(): AudioContext | null {
    if (typeof AudioContext === 'undefined') return null;
    if (!this.#context || this.#context.state === 'closed') this.#context = new AudioContext();
    if (this.#context.state === 'suspended') void this.#context.resume().catch(() => undefined);
    return this.#context;
  }

  #schedule(tones: readonly Tone[]): boolean {
    let context: AudioContext | null;
    try {
      context = this.#ensure();
    } catch {
      return false; // no audio device, or too many contexts: the visual alert still stands
    }
    if (!context) return false;
    const start = context.currentTime;
    for (const tone of tones) {
      const osc = context.createOscillator();
      const gain = context.createGain();
      const at = start + tone.at;
      osc.type = tone.type;
      osc.frequency.value = tone.hz;
      // A quick fade out, so the tone does not click when it stops.
      gain.gain.setValueAtTime(tone.volume, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + tone.seconds);
      osc.connect(gain).connect(context.destination);
      osc.start(at);
      osc.stop(at + tone.seconds);
    }
    return true;
  }
}
