package feed

import (
	"math/rand/v2"
	"time"
)

// backoff yields exponential delays with ±50 % jitter: 1 s doubling to 30 s.
type backoff struct {
	attempt int
}

const (
	backoffMin = time.Second
	backoffMax = 30 * time.Second
)

func newBackoff() *backoff { return &backoff{} }

func (b *backoff) reset() { b.attempt = 0 }

func (b *backoff) next() time.Duration {
	d := backoffMin << min(b.attempt, 10)
	if d > backoffMax {
		d = backoffMax
	}
	b.attempt++
	jitter := 0.5 + rand.Float64() // 0.5 .. 1.5
	return time.Duration(float64(d) * jitter)
}
