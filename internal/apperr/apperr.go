// Package apperr defines the error codes clients see and the one error type that carries them
// from the store and resolvers up to the GraphQL error presenter.
package apperr

import (
	"context"
	"errors"
	"fmt"
)

// Code is the value of a GraphQL error's extensions.code.
type Code string

const (
	BadUserInput       Code = "BAD_USER_INPUT"
	NotFound           Code = "NOT_FOUND"
	Timeout            Code = "TIMEOUT"
	ServiceUnavailable Code = "SERVICE_UNAVAILABLE"
	Internal           Code = "INTERNAL"
	ComplexityLimit    Code = "COMPLEXITY_LIMIT_EXCEEDED"
	Unauthenticated    Code = "UNAUTHENTICATED"
	Forbidden          Code = "FORBIDDEN"
	RateLimited        Code = "RATE_LIMITED"
	// Misconfigured is a fault of the server's own configuration that waiting will not cure,
	// such as Neo4j refusing the server's credentials. Readiness checks report it; GraphQL
	// requests that meet it are answered SERVICE_UNAVAILABLE.
	Misconfigured Code = "MISCONFIGURED"
)

// Error is an error with a client-facing code and message. Err, when set, is the cause, kept for
// logs and never shown to clients.
type Error struct {
	Code    Code
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// BadInput reports an argument a client got wrong; the message is shown to the client as is.
func BadInput(format string, args ...any) *Error {
	return &Error{Code: BadUserInput, Message: fmt.Sprintf(format, args...)}
}

// Wrap gives err a code and a client-facing message.
func Wrap(code Code, err error, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// CodeOf finds the code of err: the code of the first *Error in its chain, TIMEOUT for an
// expired deadline, INTERNAL for anything else.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return Timeout
	}
	return Internal
}

// PublicMessage is what a client may read of err: the message of a coded error, a fixed text
// otherwise, so that no internal detail (Cypher, addresses, paths) reaches a client.
func PublicMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != Internal {
		return e.Message
	}
	switch CodeOf(err) {
	case Timeout:
		return "the request took longer than its deadline"
	default:
		return "internal error"
	}
}

// Missing reports that something a client named does not exist; the message is shown as is.
func Missing(format string, args ...any) *Error {
	return &Error{Code: NotFound, Message: fmt.Sprintf(format, args...)}
}
