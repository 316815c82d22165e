package sim

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Pagination as AWS does it: a page of at most the caller's MaxResults (or
// the API's default), and an opaque token for the rest. The token records
// the operation it belongs to, so that a token from one call cannot be
// replayed on another, which AWS also refuses.

// pageSize picks the number of items per page: the account's PageSize
// option when set (tests use a tiny one to exercise every paginator), the
// API's default otherwise, and never more than the caller asked for.
// Zero means "everything".
func (a *Account) pageSize(max int32, apiDefault int) int {
	size := apiDefault
	if a.opts.PageSize > 0 {
		size = a.opts.PageSize
	}
	if max > 0 && (size == 0 || int(max) < size) {
		size = int(max)
	}
	return size
}

// page returns the slice of items the token points at and the token of the
// next page (nil on the last one). badToken is the error code the API uses
// for a token it did not issue.
func page[T any](a *Account, op string, items []T, token *string, max int32, apiDefault int, badToken string) ([]T, *string, error) {
	start := 0
	if t := aws.ToString(token); t != "" {
		raw, err := base64.RawURLEncoding.DecodeString(t)
		tag, offset, ok := strings.Cut(string(raw), "|")
		n, perr := strconv.Atoi(offset)
		if err != nil || !ok || tag != op || perr != nil || n < 0 || n > len(items) {
			return nil, nil, apiError(badToken, "The pagination token is invalid or has expired.")
		}
		start = n
	}
	size := a.pageSize(max, apiDefault)
	end := len(items)
	if size > 0 && start+size < end {
		end = start + size
	}
	var next *string
	if end < len(items) {
		next = aws.String(base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%s|%d", op, end))))
	}
	return items[start:end], next, nil
}
