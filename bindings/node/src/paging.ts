/**
 * Paged lists: `await client.sessions.list(agentId)` is the first page, and
 * `for await (const session of client.sessions.list(agentId))` walks every item of every page,
 * following `next_cursor`. Nothing is fetched until one of the two starts.
 */

/** A page of a list: its items and the cursor of the next page. */
export interface Page {
  next_cursor: string | null;
}

/** A list call: awaitable as its first page, async-iterable over all its items. */
export class PagedList<P extends Page, T> implements PromiseLike<P>, AsyncIterable<T> {
  readonly #fetch: (cursor: string | undefined) => Promise<P>;
  readonly #items: (page: P) => T[];
  readonly #cursor: string | undefined;
  #first: Promise<P> | null = null;

  /** `fetch` gets one page after `cursor`; `items` takes a page's items. */
  constructor(fetch: (cursor: string | undefined) => Promise<P>, items: (page: P) => T[], cursor?: string) {
    this.#fetch = fetch;
    this.#items = items;
    this.#cursor = cursor;
  }

  #firstPage(): Promise<P> {
    this.#first ??= this.#fetch(this.#cursor);
    return this.#first;
  }

  /** The first page. */
  then<R1 = P, R2 = never>(onFulfilled?: ((page: P) => R1 | PromiseLike<R1>) | null, onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2> {
    return this.#firstPage().then(onFulfilled, onRejected);
  }

  /** Every page, in order. */
  async *pages(): AsyncGenerator<P, void, undefined> {
    let page = await this.#firstPage();
    for (;;) {
      yield page;
      if (!page.next_cursor) return;
      page = await this.#fetch(page.next_cursor);
    }
  }

  /** Every item of every page, in order. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* this.#items(page);
  }
}
