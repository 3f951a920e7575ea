package gumloop

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// methods maps every operation of the library's description to the method that starts it, as
// "<resource>.<Method>" ("Client" for the client itself). An operation missing here, or whose
// method does not exist, fails TestEveryOperationHasAMethod.
var methods = map[string]string{
	"create_session":            "Sessions.Create",
	"get_session":               "Sessions.Retrieve",
	"list_sessions":             "Sessions.List",
	"send_message":              "Sessions.Send",
	"cancel_session":            "Sessions.Cancel",
	"rename_session":            "Sessions.Rename",
	"wait_session":              "Sessions.Wait",
	"stream_session":            "Sessions.Stream",
	"stream_message":            "Sessions.StreamMessage",
	"resume_stream":             "Sessions.ResumeStream",
	"upload_file":               "Sessions.UploadFile",
	"resolve_approvals":         "Sessions.ResolveApprovals",
	"list_queue":                "Sessions.ListQueue",
	"queue_message":             "Sessions.QueueMessage",
	"edit_queued_message":       "Sessions.EditQueuedMessage",
	"delete_queued_message":     "Sessions.DeleteQueuedMessage",
	"send_queued_message":       "Sessions.SendQueuedMessage",
	"get_session_access":        "Sessions.GetAccess",
	"update_session_access":     "Sessions.UpdateAccess",
	"list_agents":               "Agents.List",
	"get_agent":                 "Agents.Retrieve",
	"list_artifacts":            "Artifacts.List",
	"get_artifact_download":     "Artifacts.Download",
	"download_artifact":         "Artifacts.DownloadBytes",
	"download_artifact_to_file": "Artifacts.DownloadToFile",
	"send_request":              "Client.Request",
	"oauth_register_client":     "OAuth.RegisterClient",
	"oauth_exchange_code":       "OAuth.ExchangeCode",
	"oauth_refresh_token":       "OAuth.RefreshToken",
	"oauth_revoke":              "OAuth.Revoke",
}

func describe(t *testing.T) *Description {
	t.Helper()
	d, err := LibraryDescription()
	if err != nil {
		t.Fatal(err)
	}
	if d.Version != LibraryVersion() || len(d.Operations) == 0 || len(d.Codes) == 0 {
		t.Fatalf("description: %+v", d)
	}
	return d
}

// resources are the client's resource types by the name methods uses.
func resources() map[string]reflect.Type {
	out := map[string]reflect.Type{"Client": reflect.TypeOf(&Client{})}
	client := reflect.TypeOf(Client{})
	for i := 0; i < client.NumField(); i++ {
		if f := client.Field(i); f.IsExported() && f.Type.Kind() == reflect.Pointer {
			out[f.Name] = f.Type
		}
	}
	return out
}

func TestEveryOperationHasAMethod(t *testing.T) {
	d := describe(t)
	types := resources()
	described := map[string]bool{}
	for _, op := range d.Operations {
		described[op.Name] = true
		name, ok := methods[op.Name]
		if !ok {
			t.Errorf("operation %q has no method in the map", op.Name)
			continue
		}
		resource, method, _ := strings.Cut(name, ".")
		typ, ok := types[resource]
		if !ok {
			t.Errorf("operation %q: the client has no resource %q", op.Name, resource)
			continue
		}
		m, ok := typ.MethodByName(method)
		if !ok {
			t.Errorf("operation %q: %s has no method %s", op.Name, resource, method)
			continue
		}
		// A stream's method returns an iterator; the others return their answer and an error.
		last := m.Type.Out(m.Type.NumOut() - 1)
		if op.Result == "stream" && m.Type.Out(0).Kind() != reflect.Func {
			t.Errorf("%s streams but %s returns %v", op.Name, name, m.Type.Out(0))
		}
		if op.Result != "stream" && last != reflect.TypeOf((*error)(nil)).Elem() {
			t.Errorf("%s: %s does not return an error last", op.Name, name)
		}
	}
	for name := range methods {
		if !described[name] {
			t.Errorf("the map names %q, which the library does not describe", name)
		}
	}
}

func TestEveryOptionHasAField(t *testing.T) {
	d := describe(t)
	fieldOf := map[string]reflect.StructField{}
	options := reflect.TypeOf(Options{})
	for i := 0; i < options.NumField(); i++ {
		if name := options.Field(i).Tag.Get("option"); name != "" {
			fieldOf[name] = options.Field(i)
		}
	}
	for _, o := range d.Options {
		f, ok := fieldOf[o.Name]
		if !ok {
			t.Errorf("option %q has no field in Options", o.Name)
			continue
		}
		// Every boolean can say false: a *bool, never a bool whose zero is left out.
		if o.Type == "boolean" && f.Type != reflect.TypeOf((*bool)(nil)) {
			t.Errorf("option %q is %v, not *bool", o.Name, f.Type)
		}
		delete(fieldOf, o.Name)
	}
	for name := range fieldOf {
		t.Errorf("Options names %q, which the library does not describe", name)
	}
}

func TestEveryCodeHasItsClass(t *testing.T) {
	d := describe(t)
	byStem := map[string]*ErrorClass{}
	for _, c := range ErrorClasses {
		byStem[c.Stem()] = c
	}
	used := map[*ErrorClass]bool{}
	for _, g := range d.Groups {
		if byStem[g.Error] == nil {
			t.Errorf("group %s: no class Err%s", g.Name, g.Error)
		}
		used[byStem[g.Error]] = true
	}
	for _, code := range d.Codes {
		if code.Code == CodeOK {
			continue
		}
		class := byStem[code.Error]
		if class == nil {
			t.Errorf("%s: no class Err%s", code.Name, code.Error)
			continue
		}
		used[class] = true
		if code.Name != code.Code.Name() || code.Message != code.Code.Message() {
			t.Errorf("%s: the description and the library's names disagree", code.Name)
		}
		e := &Error{Code: code.Code}
		if e.Class() != class || !e.Is(class) {
			t.Errorf("%s is not an Err%s", code.Name, code.Error)
		}
		for _, g := range d.Groups {
			inGroup := code.Code >= g.First && code.Code <= g.Last
			if inGroup != (g.Name == code.Group) {
				t.Errorf("%s: group %s disagrees with its range", code.Name, code.Group)
			}
			if inGroup && !e.Is(byStem[g.Error]) {
				t.Errorf("%s is not an Err%s (its group's class)", code.Name, g.Error)
			}
		}
		// A class is matched only by its own codes, their groups' codes and the extras.
		for _, other := range ErrorClasses {
			if e.Is(other) && other != class && !inGroupOf(d, code.Code, other) && !contains(alsoClasses[class], other) {
				t.Errorf("%s is also an Err%s", code.Name, other.Stem())
			}
		}
	}
	if !(&Error{Code: CodeUnauthorized}).Is(ErrAuthentication) {
		t.Error("an unauthorized call is an authentication error")
	}
	for _, c := range ErrorClasses {
		if !used[c] {
			t.Errorf("Err%s matches no code the library describes", c.Stem())
		}
	}
}

func inGroupOf(d *Description, code Code, class *ErrorClass) bool {
	for _, g := range d.Groups {
		if g.Error == class.Stem() && code >= g.First && code <= g.Last {
			return true
		}
	}
	return false
}

func contains(classes []*ErrorClass, c *ErrorClass) bool {
	for _, x := range classes {
		if x == c {
			return true
		}
	}
	return false
}

// An error document of the library, read into *Error, keeps every field the library writes.
func TestTheErrorDocumentHasEveryField(t *testing.T) {
	d := describe(t)
	tags := map[string]bool{}
	errType := reflect.TypeOf(Error{})
	for i := 0; i < errType.NumField(); i++ {
		name, _, _ := strings.Cut(errType.Field(i).Tag.Get("json"), ",")
		tags[name] = true
	}
	for _, field := range d.ErrorFields {
		if !tags[field] {
			t.Errorf("the error document's %q has no field in Error", field)
		}
	}
	// A real document from the library, and one this package writes, have the same fields.
	c := ada(t, noRetries)
	_, libraryErr := c.Sessions.Retrieve(ctx, "sess_missing")
	_, packageErr := c.Sessions.Retrieve(ctx, "sess_\xff")
	for _, err := range []error{libraryErr, packageErr} {
		e, ok := err.(*Error)
		if !ok {
			t.Fatalf("not an *Error: %v", err)
		}
		var doc struct {
			Error map[string]json.RawMessage `json:"error"`
		}
		if err := json.Unmarshal([]byte(e.Document), &doc); err != nil {
			t.Fatal(err)
		}
		for _, field := range d.ErrorFields {
			if _, ok := doc.Error[field]; !ok {
				t.Errorf("%s: the document has no %q: %s", e.Kind, field, e.Document)
			}
		}
		for field := range doc.Error {
			if !tags[field] {
				t.Errorf("%s: the document's %q is not read", e.Kind, field)
			}
		}
	}
}
