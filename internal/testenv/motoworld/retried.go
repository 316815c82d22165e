package motoworld

import (
	"errors"

	"github.com/aws/smithy-go"
)

// retriedCreate reports whether a create failed only because it already
// happened: the client retries a request whose answer was lost (moto under
// load), and the retry then finds its own first attempt's result.
func retriedCreate(err error, codes ...string) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	for _, c := range codes {
		if ae.ErrorCode() == c {
			return true
		}
	}
	return false
}
