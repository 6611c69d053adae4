// The question box's history. No DOM: unit-tested under plain Node.

/** Up/Down in the question box walk through earlier questions, like a shell's history. */
export class QuestionHistory {
  private at: number;
  private draft = '';

  constructor(
    private readonly items: string[],
    private readonly limit = 50,
  ) {
    this.at = items.length;
  }

  get all(): string[] {
    return [...this.items];
  }

  add(question: string): void {
    const existing = this.items.indexOf(question);
    if (existing >= 0) this.items.splice(existing, 1);
    this.items.push(question);
    while (this.items.length > this.limit) this.items.shift();
    this.at = this.items.length;
    this.draft = '';
  }

  /** The text to show after pressing Up (-1) or Down (+1), given what the box holds now. */
  move(direction: -1 | 1, current: string): string {
    if (this.at === this.items.length) this.draft = current;
    this.at = Math.max(0, Math.min(this.items.length, this.at + direction));
    return this.at === this.items.length ? this.draft : this.items[this.at];
  }
}
