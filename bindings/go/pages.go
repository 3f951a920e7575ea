package gumloop

import (
	"fmt"
	"iter"
)

// pages walks a cursor-paged listing from cursor ("" for the first page): fetch gives a page's
// items and the next cursor ("" on the last page). A failed page is yielded once as the error;
// a server that hands back a cursor it already gave would loop for ever, and is an
// ErrInvalidResponse instead.
func pages[T any](cursor string, fetch func(cursor string) ([]T, string, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		seen := map[string]bool{cursor: true}
		for {
			items, next, err := fetch(cursor)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, item := range items {
				if !yield(item, nil) {
					return
				}
			}
			if next == "" {
				return
			}
			if seen[next] {
				e := callerError(CodeInvalidResponse, "next_cursor", fmt.Sprintf("the server gave the page cursor %q twice; the listing would never end", next))
				yield(zero, e)
				return
			}
			seen[next] = true
			cursor = next
		}
	}
}
