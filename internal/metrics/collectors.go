package metrics

import (
	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// CacheCounts registers the hits and misses of an in-memory cache named
// cache (feeds, searches), read from the cache's own counters at each
// scrape.
func (m *Metrics) CacheCounts(cache string, hits, misses func() int64) {
	if m == nil {
		return
	}
	for result, f := range map[string]func() int64{"hit": hits, "miss": misses} {
		// Registered once: a second server on the same metrics keeps
		// the first one's counters.
		_ = m.reg.Register(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name:        "newsline_cache_requests_total",
			Help:        "Requests answered from an in-memory cache (hit) or built afresh (miss), by cache.",
			ConstLabels: prometheus.Labels{"cache": cache, "result": result},
		}, func() float64 { return float64(f()) }))
	}
}

// Pool registers the connection pool use of the PostgreSQL pool named
// name (primary, replica), read with pgxpool's Stat at each scrape.
func (m *Metrics) Pool(name string, pool *pgxpool.Pool) {
	if m == nil || pool == nil {
		return
	}
	_ = m.reg.Register(poolCollector{name: name, pool: pool}) // once per name
}

var (
	poolConns = prometheus.NewDesc("newsline_db_pool_connections",
		"Connections of the PostgreSQL pool, by state (acquired, idle, constructing, max).", []string{"pool", "state"}, nil)
	poolAcquires = prometheus.NewDesc("newsline_db_pool_acquires_total",
		"Connections acquired from the pool.", []string{"pool"}, nil)
	poolEmptyAcquires = prometheus.NewDesc("newsline_db_pool_empty_acquires_total",
		"Acquires that had to wait for a connection.", []string{"pool"}, nil)
	poolAcquireWait = prometheus.NewDesc("newsline_db_pool_acquire_wait_seconds_total",
		"Time spent waiting for a connection.", []string{"pool"}, nil)
)

type poolCollector struct {
	name string
	pool *pgxpool.Pool
}

func (c poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- poolConns
	ch <- poolAcquires
	ch <- poolEmptyAcquires
	ch <- poolAcquireWait
}

func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.pool.Stat()
	for state, v := range map[string]int32{"acquired": s.AcquiredConns(), "idle": s.IdleConns(),
		"constructing": s.ConstructingConns(), "max": s.MaxConns()} {
		ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(v), c.name, state)
	}
	ch <- prometheus.MustNewConstMetric(poolAcquires, prometheus.CounterValue, float64(s.AcquireCount()), c.name)
	ch <- prometheus.MustNewConstMetric(poolEmptyAcquires, prometheus.CounterValue, float64(s.EmptyAcquireCount()), c.name)
	ch <- prometheus.MustNewConstMetric(poolAcquireWait, prometheus.CounterValue, s.AcquireDuration().Seconds(), c.name)
}

// Queues registers the sizes of the task queues, read with insp at each
// scrape.
func (m *Metrics) Queues(insp *asynq.Inspector) {
	if m == nil || insp == nil {
		return
	}
	_ = m.reg.Register(queueCollector{insp}) // once
}

var (
	queueTasks = prometheus.NewDesc("newsline_queue_tasks",
		"Tasks in a queue, by queue and state (pending, active, scheduled, retry, archived, completed).", []string{"queue", "state"}, nil)
	queueLatency = prometheus.NewDesc("newsline_queue_latency_seconds",
		"Age of the oldest pending task of a queue.", []string{"queue"}, nil)
	queueUp = prometheus.NewDesc("newsline_queue_inspect_up",
		"1 when the last scrape could read the queues from Redis, 0 otherwise.", nil, nil)
)

type queueCollector struct{ insp *asynq.Inspector }

func (c queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- queueTasks
	ch <- queueLatency
	ch <- queueUp
}

func (c queueCollector) Collect(ch chan<- prometheus.Metric) {
	queues, err := c.insp.Queues()
	if err != nil {
		ch <- prometheus.MustNewConstMetric(queueUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(queueUp, prometheus.GaugeValue, 1)
	for _, q := range queues {
		info, err := c.insp.GetQueueInfo(q)
		if err != nil {
			continue
		}
		for state, v := range map[string]int{"pending": info.Pending, "active": info.Active, "scheduled": info.Scheduled,
			"retry": info.Retry, "archived": info.Archived, "completed": info.Completed} {
			ch <- prometheus.MustNewConstMetric(queueTasks, prometheus.GaugeValue, float64(v), q, state)
		}
		ch <- prometheus.MustNewConstMetric(queueLatency, prometheus.GaugeValue, info.Latency.Seconds(), q)
	}
}
