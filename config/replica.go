package config

import "time"

// Replica is where the HTTP server reads from when a PostgreSQL streaming
// replica is configured (store.DB.OpenReplica).
type Replica struct {
	// URL of the replica; empty: every read goes to the primary.
	URL string
	// MaxLag is how far behind the primary the replica may be and still
	// serve reads; it is also how long a client that wrote reads from the
	// primary.
	MaxLag time.Duration
}

// replicaOptions are the settings of the read replica.
func replicaOptions() []option {
	return []option{
		{name: "read-database-url", def: "", usage: "PostgreSQL streaming replica the HTTP server reads from (API, feeds, search); writes, and reads by a client that just wrote, go to the primary; off when empty", secretURL: true,
			set: func(c *Config, v string) error { return setSecretURL(&c.Replica.URL, v) },
			get: func(c *Config) string { return c.Replica.URL }},
		{name: "read-max-lag", def: "5s", usage: "how far the replica may lag and still serve reads; how long a client that wrote reads from the primary",
			set: func(c *Config, v string) error { return setDuration(&c.Replica.MaxLag, v) },
			get: func(c *Config) string { return c.Replica.MaxLag.String() }},
	}
}
