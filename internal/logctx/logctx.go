// Package logctx carries log attributes in a context: the task id and
// site of a job, the request id of an HTTP request. A logger whose handler
// is wrapped by Handler adds them to every line logged with that context
// (slog's InfoContext, WarnContext, …), so no call site repeats them.
package logctx

import (
	"context"
	"log/slog"
)

// key is the context key of the attributes.
type key struct{}

// With returns a copy of ctx carrying attrs beside those ctx already
// carries; a later attribute replaces an earlier one of the same key.
func With(ctx context.Context, attrs ...slog.Attr) context.Context {
	prev := Attrs(ctx)
	out := make([]slog.Attr, 0, len(prev)+len(attrs))
	for _, p := range prev {
		if !hasKey(attrs, p.Key) {
			out = append(out, p)
		}
	}
	return context.WithValue(ctx, key{}, append(out, attrs...))
}

// Attrs returns the attributes ctx carries.
func Attrs(ctx context.Context) []slog.Attr {
	if ctx == nil {
		return nil
	}
	a, _ := ctx.Value(key{}).([]slog.Attr)
	return a
}

// String returns the value of the attribute named k that ctx carries, or "".
func String(ctx context.Context, k string) string {
	for _, a := range Attrs(ctx) {
		if a.Key == k {
			return a.Value.String()
		}
	}
	return ""
}

func hasKey(attrs []slog.Attr, k string) bool {
	for _, a := range attrs {
		if a.Key == k {
			return true
		}
	}
	return false
}

// Handler wraps h so that each record logged with a context gets the
// context's attributes, unless the record names the same key itself.
func Handler(h slog.Handler) slog.Handler { return handler{h} }

type handler struct{ next slog.Handler }

func (h handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h handler) Handle(ctx context.Context, r slog.Record) error {
	attrs := Attrs(ctx)
	if len(attrs) == 0 {
		return h.next.Handle(ctx, r)
	}
	own := make(map[string]bool, r.NumAttrs())
	r.Attrs(func(a slog.Attr) bool {
		own[a.Key] = true
		return true
	})
	for _, a := range attrs {
		if !own[a.Key] {
			r.AddAttrs(a)
		}
	}
	return h.next.Handle(ctx, r)
}

func (h handler) WithAttrs(attrs []slog.Attr) slog.Handler { return handler{h.next.WithAttrs(attrs)} }

func (h handler) WithGroup(name string) slog.Handler { return handler{h.next.WithGroup(name)} }
