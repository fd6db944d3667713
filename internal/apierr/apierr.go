// Package apierr is the one error catalog of ecslocal: every answer that is not
// a success is an entry here, with its Alibaba Cloud code, HTTP status and
// message. It imports nothing so that the domain and the wire layer can both
// use it without knowing each other.
package apierr

import "fmt"

// Error is a refusal the client sees: an Alibaba Cloud error code, the HTTP
// status it travels with, and the message.
type Error struct {
	Code    string
	Status  int
	Message string
	// Detail names the rule and resource behind a refusal, for the audit
	// log, the server log and the X-Ecslocal-Reason header; the body never
	// carries it.
	Detail string
}

// Error implements error.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Is matches catalog errors by code, so errors.Is(err, apierr.X.New()) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Reason is what an operator reads about the refusal: the detail when the
// rule left one, else the cloud's message.
func (e *Error) Reason() string {
	if e.Detail != "" {
		return e.Detail
	}
	return e.Message
}

// WithDetail returns a copy carrying an audit detail.
func (e *Error) WithDetail(format string, args ...any) *Error {
	c := *e
	c.Detail = fmt.Sprintf(format, args...)
	return &c
}

// Entry is a catalog row; New and Newf make the errors.
type Entry struct {
	Code    string
	Status  int
	Message string // a fmt format when the entry takes arguments
}

// New makes the error of a catalog entry; args fill the message's verbs.
func (e Entry) New(args ...any) *Error {
	msg := e.Message
	if len(args) > 0 {
		msg = fmt.Sprintf(e.Message, args...)
	}
	return &Error{Code: e.Code, Status: e.Status, Message: msg}
}

// Custom makes an error with any code, status and message: armed faults use it.
func Custom(code string, status int, message string) *Error {
	return &Error{Code: code, Status: status, Message: message}
}
