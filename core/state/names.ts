/**
 * Strings ↔ dense integer ids, append-only: the fast state's pod and node names (shared by every
 * state of a run: an id, once given, always means the same name) and the compact log's strings.
 *
 * The last name looked up is remembered: an event's pod is looked up by the reducer, then by the
 * engine and the log, usually as the very same string — one comparison instead of a hash probe.
 */
export class Names {
  private readonly ids = new Map<string, number>();
  readonly list: string[] = [];
  private lastName: string | undefined;
  private lastId = -1;

  id(name: string): number | undefined {
    if (name === this.lastName) return this.lastId;
    const id = this.ids.get(name);
    if (id !== undefined) {
      this.lastName = name;
      this.lastId = id;
    }
    return id;
  }

  intern(name: string): number {
    if (name === this.lastName) return this.lastId;
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.list.length;
      this.ids.set(name, id);
      this.list.push(name);
    }
    this.lastName = name;
    this.lastId = id;
    return id;
  }

  name(id: number): string {
    return this.list[id] as string;
  }
}
