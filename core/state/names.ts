/**
 * Strings ↔ dense integer ids, append-only: the fast state's pod and node names (shared by every
 * state of a run: an id, once given, always means the same name) and the compact log's strings.
 *
 * The last name looked up, found or not, is remembered, and so is the last name handed out by
 * `name`: an event's pod is looked up by the engine, the reducer and the log, usually as the very
 * same string, and the pod the queue pops is looked up again by name — one comparison instead of
 * a hash probe in a table of a million names.
 */
export class Names {
  private readonly ids = new Map<string, number>();
  readonly list: string[] = [];
  private lastName: string | undefined;
  /** The id of `lastName`, or −1 when it has none (a miss stays one until the name is interned). */
  private lastId = -1;

  id(name: string): number | undefined {
    if (name !== this.lastName) {
      this.lastName = name;
      this.lastId = this.ids.get(name) ?? -1;
    }
    return this.lastId < 0 ? undefined : this.lastId;
  }

  intern(name: string): number {
    let id = name === this.lastName ? this.lastId : (this.ids.get(name) ?? -1);
    if (id < 0) {
      id = this.list.length;
      this.ids.set(name, id);
      this.list.push(name);
    }
    this.lastName = name;
    this.lastId = id;
    return id;
  }

  name(id: number): string {
    const name = this.list[id] as string;
    if (name !== undefined) {
      this.lastName = name;
      this.lastId = id;
    }
    return name;
  }
}
