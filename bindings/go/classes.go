package gumloop

import "sync"

// ErrorClass is a class of failures, for errors.Is: the Err* values below, one per error stem
// of the library's description (each code names its stem; each group of codes names a base
// stem). Every *Error matches its code's class and its group's base class.
type ErrorClass struct{ stem string }

// Error names the class.
func (c *ErrorClass) Error() string { return "gumloop: " + c.stem + " error" }

// Stem is the class's stem in the library's description, e.g. "RateLimit".
func (c *ErrorClass) Stem() string { return c.stem }

// The error classes, named Err<stem> after the description's stems (one vocabulary with the
// other bindings: Python's RateLimitError is ErrRateLimit here).
var (
	// ErrInvalidArgument: the caller's input was refused before anything was sent (the base
	// class of the "caller" group).
	ErrInvalidArgument = &ErrorClass{"InvalidArgument"}
	// ErrAuthentication: no credential was found, or the server refused it (ErrUnauthorized).
	ErrAuthentication = &ErrorClass{"Authentication"}
	// ErrWrongThread: a blocking call was made where the library forbids it.
	ErrWrongThread = &ErrorClass{"WrongThread"}
	// ErrAPIConnection: no answer came (the base class of the "transport" group).
	ErrAPIConnection = &ErrorClass{"APIConnection"}
	// ErrAPITimeout: the call ran out of time.
	ErrAPITimeout = &ErrorClass{"APITimeout"}
	// ErrCancelled: the call was cancelled (for a context that ended, errors.Is also matches
	// context.Canceled or context.DeadlineExceeded).
	ErrCancelled = &ErrorClass{"Cancelled"}
	// ErrAPIStatus: the server answered with an error status (the base class of the "status"
	// group).
	ErrAPIStatus = &ErrorClass{"APIStatus"}
	// ErrBadRequest: HTTP 400.
	ErrBadRequest = &ErrorClass{"BadRequest"}
	// ErrUnauthorized: HTTP 401; also an ErrAuthentication.
	ErrUnauthorized = &ErrorClass{"Unauthorized"}
	// ErrPermissionDenied: HTTP 403.
	ErrPermissionDenied = &ErrorClass{"PermissionDenied"}
	// ErrNotFound: HTTP 404.
	ErrNotFound = &ErrorClass{"NotFound"}
	// ErrConflict: HTTP 409.
	ErrConflict = &ErrorClass{"Conflict"}
	// ErrPayloadTooLarge: HTTP 413.
	ErrPayloadTooLarge = &ErrorClass{"PayloadTooLarge"}
	// ErrRateLimit: HTTP 429 (Error.RetryAfterMs says how long to wait).
	ErrRateLimit = &ErrorClass{"RateLimit"}
	// ErrInternalServer: HTTP 5xx.
	ErrInternalServer = &ErrorClass{"InternalServer"}
	// ErrInvalidResponse: an answer that cannot be used (the base class of the "response"
	// group).
	ErrInvalidResponse = &ErrorClass{"InvalidResponse"}
	// ErrStreamIncomplete: a stream ended before its final event and could not be resumed.
	ErrStreamIncomplete = &ErrorClass{"StreamIncomplete"}
	// ErrInternal: a fault inside the library.
	ErrInternal = &ErrorClass{"Internal"}
)

// ErrorClasses are every Err* value, for code that maps them (and for the coverage test).
var ErrorClasses = []*ErrorClass{
	ErrInvalidArgument, ErrAuthentication, ErrWrongThread, ErrAPIConnection, ErrAPITimeout,
	ErrCancelled, ErrAPIStatus, ErrBadRequest, ErrUnauthorized, ErrPermissionDenied, ErrNotFound,
	ErrConflict, ErrPayloadTooLarge, ErrRateLimit, ErrInternalServer, ErrInvalidResponse,
	ErrStreamIncomplete, ErrInternal,
}

// alsoClasses are the classes a class is also a member of, across groups: an unauthorized call
// is an authentication failure too.
var alsoClasses = map[*ErrorClass][]*ErrorClass{ErrUnauthorized: {ErrAuthentication}}

var (
	codeClasses     map[Code][]*ErrorClass
	codeClassesOnce sync.Once
)

// classesOf are a code's classes: its own, those it is also a member of, then its group's, all
// from the library's description.
func classesOf(code Code) []*ErrorClass {
	codeClassesOnce.Do(func() {
		codeClasses = map[Code][]*ErrorClass{}
		d, err := LibraryDescription()
		if err != nil {
			return
		}
		byStem := map[string]*ErrorClass{}
		for _, c := range ErrorClasses {
			byStem[c.stem] = c
		}
		for _, described := range d.Codes {
			own := byStem[described.Error]
			if own == nil {
				continue
			}
			classes := append([]*ErrorClass{own}, alsoClasses[own]...)
			for _, g := range d.Groups {
				if base := byStem[g.Error]; base != nil && base != own && described.Code >= g.First && described.Code <= g.Last {
					classes = append(classes, base)
				}
			}
			codeClasses[described.Code] = classes
		}
	})
	return codeClasses[code]
}
