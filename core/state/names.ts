/**
 * Strings ↔ dense integer ids, append-only: the fast state's pod and node names (shared by every
 * state of a run: an id, once given, always means the same name) and the compact log's strings.
 */
export class Names {
  private readonly ids = new Map<string, number>();
  readonly list: string[] = [];

  id(name: string): number | undefined {
    return this.ids.get(name);
  }

  intern(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.list.length;
      this.ids.set(name, id);
      this.list.push(name);
    }
    return id;
  }

  name(id: number): string {
    return this.list[id] as string;
  }
}
