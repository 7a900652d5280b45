// Package migrations holds Newsline's schema as numbered SQL files, embedded
// into the binary and applied by goose. Never edit a file that has shipped;
// add the next number instead.
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
