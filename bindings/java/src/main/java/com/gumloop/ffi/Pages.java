package com.gumloop.ffi;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Every item of a paged list, fetched page after page as the stream is read. */
final class Pages {
    private Pages() {}

    /**
     * A lazy stream of every item: {@code fetch} gets a page for the parameters, {@code items}
     * and {@code cursor} read it.
     */
    static <P, T> Stream<T> all(ListParams first, Function<ListParams, P> fetch, Function<P, List<T>> items,
            Function<P, String> cursor) {
        Iterator<T> iterator = new Iterator<>() {
            private ListParams params = first == null ? new ListParams() : first;
            private Iterator<T> page = List.<T>of().iterator();
            private boolean last;

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && !last) {
                    P fetched = fetch.apply(params);
                    page = items.apply(fetched).iterator();
                    String next = cursor.apply(fetched);
                    if (next == null) {
                        last = true;
                    } else {
                        params = params.withCursor(next);
                    }
                }
                return page.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.next();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED), false);
    }
}
