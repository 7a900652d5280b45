package logctx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/newsline/newsline/internal/logctx"
)

func TestHandlerAddsContextAttributes(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(logctx.Handler(slog.NewJSONHandler(&buf, nil)))
	ctx := logctx.With(context.Background(), slog.String("task_id", "t1"), slog.String("site", "a.example"))
	ctx = logctx.With(ctx, slog.String("site", "b.example")) // replaces
	log.InfoContext(ctx, "one", "site", "own.example")       // the record's own wins
	log.InfoContext(ctx, "two")
	log.Info("three") // no context, no attributes
	dec := json.NewDecoder(&buf)
	want := []map[string]any{
		{"msg": "one", "task_id": "t1", "site": "own.example"},
		{"msg": "two", "task_id": "t1", "site": "b.example"},
		{"msg": "three", "task_id": nil, "site": nil},
	}
	for _, w := range want {
		var got map[string]any
		if err := dec.Decode(&got); err != nil {
			t.Fatal(err)
		}
		for k, v := range w {
			if got[k] != v {
				t.Errorf("%s: %s = %v, want %v (%v)", w["msg"], k, got[k], v, got)
			}
		}
	}
	if got := logctx.String(ctx, "site"); got != "b.example" {
		t.Errorf("String(site) = %q", got)
	}
}
