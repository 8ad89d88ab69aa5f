/**
 * One burst of user speech over the agent's answer, as the barge-in logic reads it: how much
 * speech it has had, how long it has lasted, and how long the user has been silent since (short gaps, such as the one
 * inside "mm-hmm", stay inside one burst).
 */
export class Burst {
  speechMs = 0;
  /** Silence since the burst's last speech frame. */
  silenceMs = 0;
  /** Time since the burst began, gaps included. */
  elapsedMs = 0;

  speech(frameMs: number): void {
    this.speechMs += frameMs;
    this.elapsedMs += frameMs;
    this.silenceMs = 0;
  }

  silence(frameMs: number): void {
    this.silenceMs += frameMs;
    this.elapsedMs += frameMs;
  }
}
